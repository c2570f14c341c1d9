"""Every related-object field of every serializer and form draws from the actor's scope.

The classes are found by introspection (every module of every project app is
imported), not from a hand list: a new serializer or form with an unscoped
related field fails here. Each field's queryset, as a county user of 中宁县 gets
it, is checked against rows of every kind placed in 西宁市.
"""

import importlib
import inspect
import pkgutil
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from rest_framework import relations, serializers
from rest_framework.test import APIClient

from enterprises.selectors import enterprises_visible_to
from enterprises.tests.factories import EnterpriseFactory
from incentives.selectors import allocation_funders_for
from portal.models import Region
from portal.selectors import region_choices_for, regions_visible_to
from portal.tests.factories import DepartmentFactory, UserFactory
from tiers.applications.models import Batch
from tiers.applications.tests.factories import ApplicationFactory
from tiers.models import Tier

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["portal", "enterprises", "tiers", "tasks", "incentives"]

# Reference data every signed-in user reads whole: the national catalogue of tiers and the calls for applications.
REFERENCE_MODELS: set[type[Model]] = {Tier, Batch}

# How a row of each kind reaches the region it belongs to, tried in order.
REGION_LOOKUPS = ["region", "enterprise__region", "application__region", "department__region"]


def project_modules() -> None:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in info.name for part in (".tests", ".migrations", ".management", ".settings", ".wsgi")):
                continue
            importlib.import_module(info.name)


def project_subclasses(base: type) -> list[type]:
    project_modules()
    found, pending = [], list(base.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and not inspect.isabstract(cls):
            found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def region_lookup(model: type[Model]) -> str | None:
    for lookup in REGION_LOOKUPS:
        current = model
        try:
            for part in lookup.split("__"):
                current = current._meta.get_field(part).related_model
        except (FieldDoesNotExist, AttributeError):
            continue
        if current is Region:
            return lookup
    return None


def out_of_scope(queryset: QuerySet, user) -> list[str]:
    """The rows of `queryset` that lie outside the user's region, as text; a model with no region is a failure."""
    model = queryset.model
    if model in REFERENCE_MODELS:
        return []
    visible = regions_visible_to(user).values("pk")
    if model is Region:
        return [str(row) for row in queryset.exclude(pk__in=visible)]
    lookup = region_lookup(model)
    if lookup is None:
        return [f"{model._meta.label} has no region: scope it or add it to REFERENCE_MODELS"]
    return [str(row) for row in queryset.exclude(**{f"{lookup}__in": visible})]


def related_fields(serializer: serializers.BaseSerializer, path: str = ""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            if not field.read_only:
                yield from related_fields(field, f"{path}{name}.")
            continue
        if isinstance(field, relations.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, relations.RelatedField) and not field.read_only:
            yield f"{path}{name}", field


@pytest.fixture
def county_user(users, region_tree):
    """中宁县 staff, with rows of every kind in 西宁市 beside them."""
    xining = region_tree["xining"]
    enterprise = EnterpriseFactory(name="西宁外地企业有限公司", region=xining)
    ApplicationFactory(enterprise=enterprise)
    UserFactory(username="t_xn_staff", region=xining)
    DepartmentFactory(name="西宁市工业和信息化局", region=xining)
    return users["zn_staff"]


def test_the_walk_finds_the_serializers_and_forms_that_relate_objects():
    names = {cls.__qualname__ for cls in project_subclasses(serializers.BaseSerializer)}
    assert {"PublicityListSerializer", "ObjectionSerializer", "ApplicationCreateSerializer"} <= names
    form_names = {cls.__qualname__ for cls in project_subclasses(forms.BaseForm)}
    assert {"EnterpriseForm", "PublicityForm", "VisitForm", "RewardEventForm"} <= form_names


def test_every_serializer_relation_is_scoped(county_user):
    request = SimpleNamespace(user=county_user, query_params={}, GET={}, method="POST")
    failures = []
    for cls in project_subclasses(serializers.BaseSerializer):
        serializer = cls(context={"request": request})
        for name, field in related_fields(serializer):
            leaked = out_of_scope(field.get_queryset(), county_user)
            if leaked:
                failures.append(f"{cls.__module__}.{cls.__qualname__}.{name}: {leaked[:3]}")
    assert failures == [], "\n".join(failures)


TARGET_STUB = SimpleNamespace(value=Decimal("80"), unit="家", measure_id=None, measure=None)


def form_arguments(cls: type[forms.BaseForm], user) -> dict:
    """The keyword arguments a form's constructor asks for, as a view passes them for `user`."""
    known = {
        "user": user,
        "enterprises": enterprises_visible_to(user),
        "regions": region_choices_for(user),
        "period_choices": [],
        "funders": allocation_funders_for(user),
        # A contradiction between two targets: the form offers their figures, no related objects.
        "conflict": SimpleNamespace(first=TARGET_STUB, second=TARGET_STUB),
        # An inferred value: its choices are the units the document lists for the measure, no queryset.
        "row": SimpleNamespace(inference=SimpleNamespace(field="baseline")),
    }
    wanted = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                assert parameter.name in known, f"{cls.__qualname__} wants {parameter.name}: teach form_arguments"
                wanted[parameter.name] = known[parameter.name]
    return wanted


def test_every_form_relation_is_scoped(county_user):
    failures = []
    for cls in project_subclasses(forms.BaseForm):
        if cls.__module__.startswith("portal.admin") or "admin" in cls.__module__.split("."):
            continue
        form = cls(**form_arguments(cls, county_user))
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                leaked = out_of_scope(field.queryset, county_user)
                if leaked:
                    failures.append(f"{cls.__module__}.{cls.__qualname__}.{name}: {leaked[:3]}")
    assert failures == [], "\n".join(failures)


@pytest.fixture
def foreign_application(region_tree):
    enterprise = EnterpriseFactory(name="西宁保密科技有限公司", region=region_tree["xining"])
    return ApplicationFactory(enterprise=enterprise)


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_publicity_list_treats_an_out_of_scope_application_like_a_missing_one(users, foreign_application):
    """Naming another region's application is refused exactly as naming one that does not exist."""
    api = api_for(users["zn_staff"])
    body = {"title": "2026年公示", "starts_on": "2026-05-01", "ends_on": "2026-05-07"}
    foreign = api.post("/api/v1/publicity-lists/", {**body, "applications": [foreign_application.pk]}, format="json")
    missing = api.post("/api/v1/publicity-lists/", {**body, "applications": [999999]}, format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["error"]["fields"]["applications"] == [
        message.replace("999999", str(foreign_application.pk))
        for message in missing.json()["error"]["fields"]["applications"]
    ]
    assert "西宁保密科技" not in foreign.content.decode()


def test_an_objection_naming_an_out_of_scope_application_names_nothing(users, region_tree, foreign_application):
    from tiers.applications.models import PublicityList

    publicity = PublicityList.objects.create(
        region=region_tree["zhongning"], title="中宁县公示", starts_on="2026-05-01", ends_on="2026-05-07"
    )
    api = api_for(users["zn_staff"])
    url = f"/api/v1/publicity-lists/{publicity.pk}/objections/"
    foreign = api.post(url, {"application": foreign_application.pk, "objector": "群众", "text": "异议"}, format="json")
    assert foreign.status_code == 400
    text = foreign.content.decode()
    assert "西宁保密科技" not in text and foreign_application.tier.name not in text
    assert api.get(f"/api/v1/applications/{foreign_application.pk}/").status_code == 404
