"""The register as an Excel workbook, exactly the rows the list page shows."""

from collections.abc import Iterator

from django.db.models import QuerySet

from enterprises.models import Enterprise
from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes

__all__ = ["HEADER", "XLSX_CONTENT_TYPE", "enterprise_workbook"]

# The column headers bureaus use in their own rosters (data, not interface text),
# so that an exported file can be edited and imported again.
HEADER = [
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "所属行业",
    "行业门类",
    "成立日期",
    "企业规模",
    "是否规上",
    "是否上市",
    "已获认定",
    "信用代码待核",
]
SHEET_TITLE = "企业名录"


def _rows(qs: QuerySet[Enterprise]) -> Iterator[list]:
    # iterator() with a chunk size keeps memory flat and still runs the prefetches per chunk.
    for enterprise in qs.iterator(chunk_size=2000):
        yield [
            enterprise.name,
            enterprise.credit_code,
            enterprise.region.name,
            enterprise.industry_code,
            enterprise.industry_section_name,
            enterprise.registered_on,
            enterprise.get_size_class_display(),
            "是" if enterprise.is_above_scale else "否",
            "是" if enterprise.is_listed else "否",
            "、".join(recognition.tier.name for recognition in enterprise.valid_recognitions),
            "是" if enterprise.is_credit_code_flagged else "",
        ]


def enterprise_workbook(qs: QuerySet[Enterprise]) -> bytes:
    """`qs` comes from selectors.enterprise_list, already scoped and filtered."""
    return workbook_bytes([(SHEET_TITLE, HEADER, _rows(qs))])
