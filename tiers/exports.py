"""The pool as the Excel sheet bureaus mail around; column headers stay Chinese."""

from django.db.models import QuerySet
from django.utils import timezone

from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes
from tiers.models import PoolEntry

__all__ = ["XLSX_CONTENT_TYPE", "pool_workbook"]

HEADER = [
    "层级",
    "县（区）",
    "企业名称",
    "统一社会信用代码",
    "阶段",
    "入库方式",
    "入库理由",
    "入库时差距条件数",
    "服务专员",
    "入库时间",
    "出库时间",
    "出库理由",
]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def pool_workbook(entries: QuerySet[PoolEntry]) -> bytes:
    rows = (
        [
            entry.tier.name,
            entry.enterprise.region.name,
            entry.enterprise.name,
            entry.enterprise.credit_code,
            entry.get_stage_display(),
            entry.get_origin_display(),
            entry.reason,
            entry.missing_at_entry,
            str(entry.commissioner) if entry.commissioner else "",
            _local(entry.entered_at),
            _local(entry.left_at),
            entry.left_reason,
        ]
        for entry in entries.iterator(chunk_size=2000)
    )
    return workbook_bytes([("培育库", HEADER, rows)])
