"""The register list page and its Excel export."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from enterprises.exports import HEADER
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from portal.tests.factories import RegionFactory
from tiers.models import Recognition
from tiers.tests.factories import RecognitionFactory, TierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(region_tree):
    """Enterprises across 中卫市's counties (one in a park below 沙坡头区) and one in 西宁市."""
    park = RegionFactory(name="沙坡头工业园", code="640502P1", kind="park", parent=region_tree["shapotou"])
    high_tech = TierFactory(code="high-tech", name="高新技术企业")
    little_giant = TierFactory(code="little-giant", name="专精特新“小巨人”企业")
    rows = {
        "wine": EnterpriseFactory(
            name="中卫葡萄酒有限公司", region=region_tree["shapotou"], industry_code="C1515", is_above_scale=True
        ),
        "steel": EnterpriseFactory(
            name="沙坡头钢铁制品有限公司", region=park, industry_code="C3311", size_class=Enterprise.SizeClass.MEDIUM
        ),
        "goji": EnterpriseFactory(name="中宁枸杞科技有限公司", region=region_tree["zhongning"], industry_code="A0149"),
        "software": EnterpriseFactory(
            name="中宁云计算软件有限公司", region=region_tree["zhongning"], industry_code="I6510", is_above_scale=True
        ),
        "xining": EnterpriseFactory(name="西宁高原药业有限公司", region=region_tree["xining"], industry_code="C2740"),
    }
    RecognitionFactory(enterprise=rows["wine"], tier=high_tech)
    RecognitionFactory(enterprise=rows["software"], tier=little_giant)
    RecognitionFactory(enterprise=rows["goji"], tier=high_tech, status=Recognition.Status.EXPIRED)
    return {**rows, "park": park, "high_tech": high_tech, "little_giant": little_giant}


def listed_names(response) -> set[str]:
    return {enterprise.name for enterprise in response.context["page"].object_list}


def exported_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"wine", "steel", "goji", "software"}),
        ({"q": "枸杞"}, {"goji"}),
        ({"q": "葡萄酒 "}, {"wine"}),
        ({"region": "shapotou"}, {"wine", "steel"}),  # includes the park below the county
        ({"region": "park"}, {"steel"}),
        ({"region": "xining"}, set()),  # outside the user's scope: nothing, not an error
        ({"industry": "C"}, {"wine", "steel"}),
        ({"industry": "c33"}, {"steel"}),
        ({"industry": "65"}, {"software"}),  # the division alone finds section I
        ({"tier": "high_tech"}, {"wine"}),  # an expired recognition is not "held"
        ({"tier": "little_giant"}, {"software"}),
        ({"size_class": "medium"}, {"steel"}),
        ({"above_scale": "1"}, {"wine", "software"}),
        ({"above_scale": "0"}, {"steel", "goji"}),
        ({"above_scale": "1", "region": "zhongning"}, {"software"}),
    ],
)
def test_city_staff_filters_the_register(client, users, register, region_tree, params, expected):
    """Search and every filter of the list page narrow the city's register as labelled."""
    objects = {**register, **region_tree}
    query = {key: objects[value].pk if value in objects else value for key, value in params.items()}
    client.force_login(users["zw_staff"])
    response = client.get(reverse("enterprises:list"), query)
    assert response.status_code == 200
    assert listed_names(response) == {register[key].name for key in expected}


def test_search_by_part_of_the_credit_code(client, users, register):
    client.force_login(users["zw_staff"])
    code = register["goji"].credit_code
    response = client.get(reverse("enterprises:list"), {"q": code[-8:].lower()})
    assert listed_names(response) == {register["goji"].name}


def test_htmx_request_gets_only_the_table(client, users, register):
    """The filter form refreshes the table in place: an htmx request returns the partial, not the page."""
    client.force_login(users["zw_staff"])
    response = client.get(reverse("enterprises:list"), {"q": "枸杞"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "中宁枸杞科技有限公司" in html
    assert "<html" not in html and 'data-testid="filter-form"' not in html
    assert "HX-Request" in response["Vary"]
    # The export link in the refreshed table carries the new filters.
    assert f"{reverse('enterprises:export')}?q=%E6%9E%B8%E6%9D%9E" in html


def test_empty_state_explains_and_offers_to_clear(client, users, register):
    client.force_login(users["zw_staff"])
    response = client.get(reverse("enterprises:list"), {"q": "不存在的企业"})
    html = response.content.decode()
    assert 'data-testid="empty-state"' in html
    with translation.override("zh-hans"):
        assert translation.gettext("No enterprise matches these filters.") in html
        assert translation.gettext("Clear the filters") in html


def test_pagination_keeps_the_filters(client, users, region_tree):
    EnterpriseFactory.create_batch(30, region=region_tree["zhongning"], is_above_scale=True)
    client.force_login(users["zw_staff"])
    first = client.get(reverse("enterprises:list"), {"above_scale": "1"})
    assert len(first.context["page"].object_list) == 25
    assert "?above_scale=1&page=2" in first.content.decode()
    second = client.get(reverse("enterprises:list"), {"above_scale": "1", "page": "2"})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "中宁"}, {"region": "shapotou"}, {"tier": "high_tech"}, {"industry": "C", "above_scale": "1"}],
)
def test_export_contains_exactly_the_rows_the_filtered_list_shows(client, users, register, region_tree, params):
    objects = {**register, **region_tree}
    query = {key: objects[value].pk if value in objects else value for key, value in params.items()}
    client.force_login(users["zw_staff"])
    listed = listed_names(client.get(reverse("enterprises:list"), query))
    rows = exported_rows(client.get(reverse("enterprises:export"), query))
    assert list(rows[0]) == HEADER
    assert sorted(row[0] for row in rows[1:]) == sorted(listed)


def test_export_shows_codes_regions_and_tiers_held(client, users, register):
    client.force_login(users["spt_staff"])
    rows = exported_rows(client.get(reverse("enterprises:export"), {"q": "葡萄酒"}))
    assert rows[1][:4] == ("中卫葡萄酒有限公司", register["wine"].credit_code, "沙坡头区", "C1515")
    assert rows[1][HEADER.index("已获认定")] == "高新技术企业"
    assert rows[1][HEADER.index("是否规上")] == "是"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_export_escapes_cells_that_a_spreadsheet_would_run_as_formulas(client, users, region_tree, prefix):
    EnterpriseFactory(name=f'{prefix}HYPERLINK("http://evil.example","点我")', region=region_tree["shapotou"])
    client.force_login(users["spt_staff"])
    rows = exported_rows(client.get(reverse("enterprises:export")))
    # XML stores a carriage return as a line feed; the quote in front is what matters.
    assert rows[1][0] == f'\'{prefix}HYPERLINK("http://evil.example","点我")'.replace("\r", "\n")


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _grow_register(region, tiers, count):
    for enterprise in EnterpriseFactory.create_batch(count, region=region):
        for tier in tiers:
            RecognitionFactory(enterprise=enterprise, tier=tier)


@pytest.mark.parametrize("url_name", ["enterprises:list", "enterprises:export"])
def test_query_count_stays_flat_as_the_register_grows(client, users, region_tree, url_name):
    """5 or 50 enterprises, each with two recognitions: the same number of queries."""
    tiers = [TierFactory(code="high-tech"), TierFactory(code="srdi-sme")]
    client.force_login(users["zw_staff"])
    _grow_register(region_tree["shapotou"], tiers, 5)
    small = _queries(client, reverse(url_name))
    _grow_register(region_tree["zhongning"], tiers, 45)
    large = _queries(client, reverse(url_name))
    assert small == large
    filtered = _queries(client, reverse(url_name), {"tier": tiers[0].pk, "region": region_tree["zhongwei"].pk})
    assert filtered <= large + 1  # + the region lookup of the region filter
