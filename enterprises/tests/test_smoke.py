import pytest
from django.urls import reverse

from enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_county_staff_sees_only_their_county(client, users, region_tree):
    """A county user lists their county's enterprises and gets 404 for a sibling county's."""
    own = EnterpriseFactory(region=region_tree["shapotou"], name="沙坡头甲公司")
    sibling = EnterpriseFactory(region=region_tree["zhongning"], name="中宁乙公司")
    client.force_login(users["spt_staff"])
    listing = client.get(reverse("enterprises:list"))
    assert own.name in listing.content.decode()
    assert sibling.name not in listing.content.decode()
    assert client.get(reverse("enterprises:detail", args=[sibling.pk])).status_code == 404
    assert client.get(reverse("enterprises:detail", args=[own.pk])).status_code == 200
