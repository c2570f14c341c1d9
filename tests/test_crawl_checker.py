"""The crawl's checker catches what people must never read, and lets Chinese pages through."""

import pytest
from django.template import engines
from django.utils import translation

from tests.crawl.checker import check_html, check_text, parse
from tests.crawl.crawler import crawl, page_kind
from tests.crawl.report import problems

SNAPSHOT = {"values": {"operating_revenue": "7465.57", "employees": 78, "rd_expense": None}}

# The row of the application page's data snapshot, as it was and as it is.
RAW_ROW = "{% for name, value in snapshot.values.items %}<tr><td>{{ name }}</td><td>{{ value }}</td></tr>{% endfor %}"
LABELLED_ROW = (
    "{% load portal_audit %}{% for label, value in snapshot.values|snapshot_rows:'enterprises.annualindicator' %}"
    "<tr><td>{{ label }}</td><td>{{ value }}</td></tr>{% endfor %}"
)


def render(source: str) -> str:
    with translation.override("zh-hans"):
        return engines["django"].from_string(f"<table>{source}</table>").render({"snapshot": SNAPSHOT})


def test_a_raw_field_name_put_back_into_a_template_is_flagged():
    findings = check_html(render(RAW_ROW))

    found = {(finding.kind, finding.text) for finding in findings}
    assert found == {
        ("raw identifier", "operating_revenue"),
        ("raw identifier", "rd_expense"),
        ("English text", "employees"),
        ("Python value", "None"),
    }
    assert "operating_revenue" in str(findings[0]) and "7465.57" in str(findings[0])


def test_the_labelled_snapshot_passes():
    html = render(LABELLED_ROW)

    assert check_html(html) == []
    assert "营业收入" in html and "7465.57 万元" in html and "78 人" in html


@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("状态: — → Draft", "English text", "Draft"),
        ("测算结论: misses", "English text", "misses"),
        ("认定状态 valid 来源 roster", "English text", "valid"),
        ("上市公司: False", "Python value", "False"),
        ("联系人: None", "Python value", "None"),
        ("字段 main_business_revenue 已修改", "raw identifier", "main_business_revenue"),
        ("<p>Enterprise register</p>", "English text", "Enterprise register"),
    ],
)
def test_raw_values_and_english_are_flagged(text, kind, word):
    findings = check_text(parse(text)[0])

    assert (kind, word) in [(finding.kind, finding.text) for finding in findings]


def test_chinese_text_data_and_markup_pass():
    html = (
        '<div class="nav-link" data-state="draft" title="operating_revenue">企业名录 <a href="/enterprises/?q=x">查看</a></div>'
        "<script>var revenue_total = None;</script><style>.table_row{}</style>"
        "<p>统一社会信用代码 91640500MA76Y3XJ2K · 导出 企业名录.xlsx · Excel · zw_staff</p>"
        "<textarea>user_typed_text</textarea>"
    )

    assert check_html(html, allowed=frozenset({"zw_staff"})) == []


def test_links_come_from_href_and_htmx_and_pages_differing_by_id_are_one_kind():
    _text, links = parse('<a href="/enterprises/7/">甲</a><div hx-get="/jobs/3/"></div>')

    assert links == ["/enterprises/7/", "/jobs/3/"]
    assert page_kind("/enterprises/7/?tab=history") == page_kind("/enterprises/12/?tab=indicators")
    assert page_kind("/enterprises/7/") != page_kind("/enterprises/7/edit/")


@pytest.mark.django_db
def test_the_crawl_follows_links_and_names_the_page_the_role_and_the_raw_name(client, settings):
    """What the coordinator reads when a raw field name comes back into a template."""
    settings.ROOT_URLCONF = "tests.crawl_urls"

    result = crawl(client, ["/"])
    lines = problems("zw_staff", result, query_ceiling=60, admin_query_ceiling=100)

    assert [visit.url for visit in result.visits] == ["/", "/planted/7/"]
    assert len(lines) == 1
    assert lines[0].startswith("[zw_staff] GET /planted/7/ (linked from /): raw identifier «operating_revenue» in «")
    assert "企业详情 ⏎ operating_revenue ⏎ 2389.44" in lines[0]
