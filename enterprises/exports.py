from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes

__all__ = ["XLSX_CONTENT_TYPE", "enterprise_workbook"]


def _rows(qs: QuerySet[Enterprise]) -> Iterator[list]:
    for enterprise in qs.iterator(chunk_size=2000):
        tiers = "、".join(rec.tier.name for rec in getattr(enterprise, "valid_recognitions", []))
        yield [
            enterprise.name,
            enterprise.credit_code,
            enterprise.region.name,
            enterprise.industry_code,
            enterprise.registered_on,
            enterprise.get_size_class_display(),
            _("Yes") if enterprise.is_above_scale else _("No"),
            tiers,
        ]


def enterprise_workbook(qs: QuerySet[Enterprise]) -> bytes:
    header = [
        _("Enterprise name"),
        _("Unified social credit code"),
        _("Region"),
        _("Industry"),
        _("Registration date"),
        _("Size class"),
        _("Above designated size"),
        _("Tiers held"),
    ]
    return workbook_bytes([(_("Enterprises"), header, _rows(qs))])
