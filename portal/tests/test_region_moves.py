"""Moving a region carries its subtree along, audited, so scope stays whole."""

import pytest
from django.utils import translation

from enterprises.selectors import enterprises_visible_to
from enterprises.tests.factories import EnterpriseFactory
from portal import services
from portal.exceptions import ServiceError
from portal.models import AuditEvent, Region
from portal.selectors import regions_visible_to
from portal.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_with_children(region_tree):
    """中宁县 with a town and a park inside the town, an enterprise in the park."""
    town = RegionFactory(name="石空镇", code="640521100", kind="county", parent=region_tree["zhongning"])
    park = RegionFactory(name="中宁工业园", code="640521900", kind="park", parent=town)
    enterprise = EnterpriseFactory(name="园区企业有限公司", region=park)
    return region_tree["zhongning"], town, park, enterprise


def test_moving_a_county_moves_its_subtree_and_its_scope(region_tree, users, county_with_children):
    county, town, park, enterprise = county_with_children
    xining_staff = UserFactory(username="t_xn_mover", region=region_tree["xining"])
    assert enterprise in enterprises_visible_to(users["zw_leader"])
    assert enterprise not in enterprises_visible_to(xining_staff)

    services.move_region(actor=users["admin"], region=county, parent=region_tree["xining"])

    county.refresh_from_db()
    park.refresh_from_db()
    assert park.path.startswith(county.path) and county.path.startswith(region_tree["xining"].path)
    assert park.depth == region_tree["xining"].depth + 3
    assert enterprise in enterprises_visible_to(xining_staff)
    assert enterprise not in enterprises_visible_to(users["zw_leader"])
    # The county's own staff still see their whole county.
    assert set(regions_visible_to(users["zn_staff"])) == {county, town, park}
    assert enterprise in enterprises_visible_to(users["zn_staff"])
    event = AuditEvent.objects.get(object_type="portal.region", object_id=str(county.pk))
    assert event.changes == {"parent": ["中卫市", "西宁市"]}
    assert event.actor == users["admin"]


def test_a_region_cannot_move_under_its_own_subregion(users, county_with_children):
    county, _town, park, _enterprise = county_with_children
    with translation.override("zh-hans"), pytest.raises(ServiceError) as refused:
        services.move_region(actor=users["admin"], region=county, parent=park)
    assert refused.value.message == "不能把地区移到它自身或它的下级地区之下。"
    county.refresh_from_db()
    assert county.parent.name == "中卫市"


def test_saving_a_region_with_a_new_parent_keeps_the_subtree(region_tree, county_with_children):
    """Even a plain save (a data migration, the shell) carries the subtree along."""
    county, town, park, _enterprise = county_with_children
    county.parent = region_tree["qinghai"]
    county.save()
    park.refresh_from_db()
    assert park.path == Region.objects.get(pk=county.pk).path + f"{town.pk:05d}.{park.pk:05d}."
