"""A version comparison as a workbook: totals by region, the deciding criteria, the enterprises that change."""

from django.utils.translation import gettext as _

from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes
from tiers.versions.compare import GROUPS, Comparison

__all__ = ["XLSX_CONTENT_TYPE", "comparison_workbook", "group_labels"]


def group_labels(comparison: Comparison) -> dict[str, str]:
    return {
        "both": _("Meets both"),
        "only_old": _("Meets only %(name)s") % {"name": comparison.old_name},
        "only_new": _("Meets only %(name)s") % {"name": comparison.new_name},
        "neither": _("Meets neither"),
    }


def comparison_workbook(comparison: Comparison) -> bytes:
    labels = group_labels(comparison)
    regions = ([item.region, *(item.counts[group] for group in GROUPS)] for item in comparison.regions)
    deciding = ([label, set_name, count] for label, set_name, count in comparison.deciding)
    changed = (
        [row["name"], row["region"], labels[row["group"]], "；".join(row["criteria"])] for row in comparison.changed
    )
    return workbook_bytes(
        [
            (_("By region"), [_("Region"), *(labels[group] for group in GROUPS)], regions),
            (_("Deciding criteria"), [_("Criterion"), _("Criteria set"), _("Enterprises")], deciding),
            (_("Enterprises that change"), [_("Enterprise"), _("Region"), _("Group"), _("Criteria not met")], changed),
        ]
    )
