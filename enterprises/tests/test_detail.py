"""The enterprise page: figures over the years, recognitions, history; the create/edit forms."""

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from enterprises import services
from enterprises.credit_codes import with_check_character
from enterprises.models import AnnualIndicator, Enterprise
from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory
from portal.models import AuditEvent
from tiers.models import Recognition
from tiers.tests.factories import RecognitionFactory, TierFactory

pytestmark = pytest.mark.django_db

VALID_CODE = with_check_character("91640502MA76XK2P2")
FAILING_CODE = "91350100M0001TGQXM"  # real, fails its check character (criteria.md §9)


def zh(message: str, **params) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % params if params else text


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def enterprise(region_tree):
    return EnterpriseFactory(name="中卫葡萄酒有限公司", region=region_tree["shapotou"], industry_code="C1515")


def form_data(enterprise: Enterprise, **changes) -> dict:
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "region": enterprise.region_id,
        "industry_code": enterprise.industry_code,
        "registered_on": enterprise.registered_on.isoformat() if enterprise.registered_on else "",
        "size_class": enterprise.size_class,
        "main_products": enterprise.main_products,
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "service_commissioner": "",
        "version": enterprise.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_detail_shows_figures_by_year_full_recognition_history_and_changes(client, users, enterprise):
    AnnualIndicatorFactory(enterprise=enterprise, year=2024, operating_revenue="4321.50", rd_expense=210)
    AnnualIndicatorFactory(enterprise=enterprise, year=2019, operating_revenue=1800)
    RecognitionFactory(enterprise=enterprise, tier=TierFactory(name="高新技术企业"), batch="2024年第一批")
    RecognitionFactory(
        enterprise=enterprise,
        tier=TierFactory(name="科技型中小企业"),
        recognized_on=datetime.date(2020, 5, 1),
        valid_until=datetime.date(2021, 4, 30),
        status=Recognition.Status.EXPIRED,
    )
    services.update_enterprise(actor=users["spt_staff"], enterprise=enterprise, main_products="红葡萄酒")
    client.force_login(users["spt_staff"])
    html = html_of(client.get(reverse("enterprises:detail", args=[enterprise.pk])))
    assert "4321.50" in html and "1800.00" in html
    assert ">2019<" in html.replace("<br>", "<")  # an old year on record is shown, not only recent ones
    assert "高新技术企业" in html and "2024年第一批" in html
    assert "科技型中小企业" in html and "2021-04-30" in html  # expired recognitions stay in the history
    history = html[html.index('data-testid="history"') :]
    assert "红葡萄酒" in history and "t_spt_staff" in history


def test_staff_creates_an_enterprise_with_a_normalised_code(client, users, region_tree):
    client.force_login(users["spt_staff"])
    raw = " ".join(VALID_CODE[i : i + 4] for i in range(0, 18, 4)).lower()
    response = client.post(
        reverse("enterprises:create"),
        {
            "name": "沙坡头新材料有限公司",
            "credit_code": raw,
            "region": region_tree["shapotou"].pk,
            "industry_code": "3311",
        },
    )
    enterprise = Enterprise.objects.get(name="沙坡头新材料有限公司")
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])
    assert (enterprise.credit_code, enterprise.industry_code, enterprise.is_credit_code_flagged) == (
        VALID_CODE,
        "C3311",
        False,
    )
    event = AuditEvent.objects.get(object_type="enterprises.enterprise", object_id=str(enterprise.pk))
    assert event.action == "create" and event.actor == users["spt_staff"]
    assert event.changes["credit_code"] == [None, VALID_CODE]
    assert event.origin == "127.0.0.1"


def test_a_code_failing_its_check_character_is_saved_flagged_with_a_warning(client, users, region_tree):
    client.force_login(users["spt_staff"])
    response = client.post(
        reverse("enterprises:create"),
        {"name": "早期试点企业", "credit_code": FAILING_CODE, "region": region_tree["shapotou"].pk},
        follow=True,
    )
    enterprise = Enterprise.objects.get(credit_code=FAILING_CODE)
    assert enterprise.is_credit_code_flagged
    html = html_of(response)
    assert 'data-testid="credit-code-flag"' in html
    message = zh(
        "The check character of credit code %(code)s does not match; it was saved and marked for review.",
        code=FAILING_CODE,
    )
    assert message in html


def test_form_errors_appear_next_to_their_fields(client, users, region_tree):
    """Errors are in Chinese (Django's own messages are translated) and sit under the field."""
    client.force_login(users["spt_staff"])
    response = client.post(
        reverse("enterprises:create"),
        {"name": "", "credit_code": "91640500MA76XK2", "region": region_tree["shapotou"].pk, "industry_code": "C44"},
    )
    assert response.status_code == 200
    html = html_of(response)
    name_error = re.search(r'data-testid="error-name">([^<]+)<', html).group(1)
    assert name_error == "该字段是必填项。"
    code_error = re.search(r'data-testid="error-credit_code">([^<]+)<', html).group(1)
    with translation.override("zh-hans"):
        assert unescape(code_error) == services.malformed_credit_code_message("91640500MA76XK2")
    industry_error = re.search(r'data-testid="error-industry_code">([^<]+)<', html).group(1)
    assert "44" in industry_error and "C" in industry_error
    assert not Enterprise.objects.exists()


def test_a_duplicate_code_is_refused_on_the_field(client, users, enterprise):
    client.force_login(users["spt_staff"])
    response = client.post(
        reverse("enterprises:create"),
        {"name": "重复企业", "credit_code": enterprise.credit_code.lower(), "region": enterprise.region_id},
    )
    assert 'data-testid="error-credit_code"' in html_of(response)
    assert Enterprise.objects.count() == 1


def test_a_region_outside_the_users_scope_cannot_be_chosen(client, users, region_tree):
    client.force_login(users["spt_staff"])
    response = client.post(
        reverse("enterprises:create"),
        {"name": "越权企业", "credit_code": VALID_CODE, "region": region_tree["zhongning"].pk},
    )
    assert "选择一个有效的选项" in html_of(response)
    assert not Enterprise.objects.exists()


def test_edit_records_before_and_after(client, users, enterprise):
    client.force_login(users["spt_staff"])
    client.get(reverse("enterprises:edit", args=[enterprise.pk]))
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        form_data(enterprise, name="中卫红酒股份有限公司", is_above_scale="on"),
        REMOTE_ADDR="10.64.5.21",
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.is_above_scale, enterprise.version) == ("中卫红酒股份有限公司", True, 2)
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"name": ["中卫葡萄酒有限公司", "中卫红酒股份有限公司"], "is_above_scale": [False, True]}
    assert (event.actor, event.origin) == (users["spt_staff"], "10.64.5.21")


def test_two_people_editing_at_once_the_second_is_told_and_the_first_change_survives(users, enterprise):
    first, second = Client(), Client()
    first.force_login(users["spt_staff"])
    second.force_login(users["zw_staff"])
    url = reverse("enterprises:edit", args=[enterprise.pk])
    loaded_first = first.get(url).context["form"]["version"].value()
    loaded_second = second.get(url).context["form"]["version"].value()
    assert loaded_first == loaded_second == 1

    assert first.post(url, form_data(enterprise, main_products="干红", version=loaded_first)).status_code == 302
    response = second.post(url, form_data(enterprise, main_products="干白", version=loaded_second))

    assert response.status_code == 200
    html = html_of(response)
    conflict = zh(
        "“%(name)s” was changed by someone else after you opened it. "
        "Reload the page to see their changes, then apply yours again.",
        name=enterprise.name,
    )
    errors = html[html.index('data-testid="form-errors"') :]
    assert conflict in unescape(errors)
    enterprise.refresh_from_db()
    assert (enterprise.main_products, enterprise.version) == ("干红", 2)
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_indicator_form_saves_one_year_and_records_sources(client, users, enterprise):
    AnnualIndicatorFactory(enterprise=enterprise, year=2024, operating_revenue=5000, employees=120)
    client.force_login(users["spt_staff"])
    url = reverse("enterprises:indicators", args=[enterprise.pk, 2024])
    form = client.get(url).context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items() if name != "id"}
    data.update({"operating_revenue": "5600.25", "version": form["version"].value()})
    response = client.post(url, data, REMOTE_ADDR="10.64.5.22")
    assert response.status_code == 302
    indicator = AnnualIndicator.objects.get(enterprise=enterprise, year=2024)
    assert str(indicator.operating_revenue) == "5600.25" and indicator.employees == 120
    assert indicator.sources["operating_revenue"]["source"] == "manual"
    assert indicator.sources["operating_revenue"]["by"] == users["spt_staff"].pk
    assert "employees" not in indicator.sources  # unchanged figures keep their old source
    event = AuditEvent.objects.get(object_type="enterprises.annualindicator")
    assert event.changes == {"operating_revenue": ["5000", "5600.25"]}
    assert event.origin == "10.64.5.22"


def test_two_people_entering_a_new_year_at_once_do_not_overwrite_each_other(users, enterprise):
    first, second = Client(), Client()
    first.force_login(users["spt_staff"])
    second.force_login(users["zw_staff"])
    url = reverse("enterprises:indicators", args=[enterprise.pk, 2023])
    version_first = first.get(url).context["form"]["version"].value()
    version_second = second.get(url).context["form"]["version"].value()
    assert version_first == version_second == 0
    assert first.post(url, {"operating_revenue": "3000", "version": version_first}).status_code == 302
    response = second.post(url, {"operating_revenue": "9999", "version": version_second})
    assert response.status_code == 200 and 'data-testid="form-errors"' in html_of(response)
    assert str(AnnualIndicator.objects.get(enterprise=enterprise, year=2023).operating_revenue) == "3000.00"


def test_indicator_errors_appear_next_to_the_field(client, users, enterprise):
    client.force_login(users["spt_staff"])
    url = reverse("enterprises:indicators", args=[enterprise.pk, 2024])
    response = client.post(url, {"operating_revenue": "很多", "employees": "-3", "digital_level": "7", "version": 0})
    html = html_of(response)
    assert re.search(r'data-testid="error-operating_revenue">输入一个数字。<', html)
    assert re.search(r'data-testid="error-employees">[^<]*0[^<]*<', html)
    assert re.search(r'data-testid="error-digital_level">', html)
    assert not AnnualIndicator.objects.exists()


def test_staff_records_a_recognition_by_hand(client, users, enterprise):
    tier = TierFactory(code="srdi-sme", name="专精特新中小企业", validity_years=3)
    client.force_login(users["spt_staff"])
    response = client.post(
        reverse("enterprises:recognition-create", args=[enterprise.pk]),
        {"tier": tier.pk, "recognized_on": "2025-03-15", "batch": "2025年第一批", "certificate_no": "NX-2025-018"},
        follow=True,
    )
    recognition = Recognition.objects.get(enterprise=enterprise)
    assert (recognition.tier, recognition.batch, recognition.certificate_no) == (tier, "2025年第一批", "NX-2025-018")
    assert recognition.valid_until == datetime.date(2028, 3, 14)
    html = html_of(response)
    assert zh("Recognition “%(tier)s” recorded.", tier="专精特新中小企业") in unescape(html)
    event = AuditEvent.objects.get(object_type="tiers.recognition")
    assert event.actor == users["spt_staff"] and event.origin == "127.0.0.1"
    history = html[html.index('data-testid="history"') :]
    assert "NX-2025-018" in history


def test_recording_a_recognition_needs_a_tier_and_a_date(client, users, enterprise):
    client.force_login(users["spt_staff"])
    response = client.post(reverse("enterprises:recognition-create", args=[enterprise.pk]), {"batch": "第一批"})
    assert response.status_code == 400
    html = html_of(response)
    assert re.search(r'data-testid="error-tier">该字段是必填项。<', html)
    assert re.search(r'data-testid="error-recognized_on">该字段是必填项。<', html)
    assert not Recognition.objects.exists()


def test_leaders_see_no_edit_controls(client, users, enterprise):
    TierFactory()
    client.force_login(users["zw_leader"])
    html = html_of(client.get(reverse("enterprises:detail", args=[enterprise.pk])))
    assert 'data-testid="edit-link"' not in html
    assert 'data-testid="recognition-form"' not in html
    assert 'data-testid="edit-indicators-' not in html
    response = client.post(reverse("enterprises:recognition-create", args=[enterprise.pk]), {})
    assert response.status_code == 403
