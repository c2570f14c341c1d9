"""The responsible department (牵头单位) of every tier at every level: loaded from the documents, edited by administrators.

Each row says which line leads and where the documents say so; a row no
document supports is marked inferred (推定). Loading never overwrites a row an
administrator has changed since (its version is above 1).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import User
from tiers.applications.models import DepartmentLine, Responsibility, ReviewLevel
from tiers.models import Tier

INDUSTRY, SCIENCE = DepartmentLine.INDUSTRY, DepartmentLine.SCIENCE
COUNTY, CITY, PROVINCE = ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.PROVINCE

ZW = "000 中卫市任务清单 牵头部门"
XN = "001 西宁市 宁政办〔2023〕32号 责任单位（列第一位）"
EEDS = "003 鄂尔多斯市 （列第一位的为牵头单位）"
BZ = "004 博州政办发〔2023〕62号 牵头单位：州工信局"
NX = "002 宁夏回族自治区 措施责任单位（自治区工业和信息化厅）"

# tier code -> (line, where the city level's lead is named). The city level is named for each of these by at least
# one document; county and provincial levels follow the same line (推定 unless the document names the province).
TIER_LINES: dict[str, tuple[str, str]] = {
    "tech-sme": (SCIENCE, f"{ZW} 任务1"),
    "high-tech": (SCIENCE, f"{ZW} 任务2"),
    "nx-innovation-demo": (SCIENCE, f"{ZW} 任务3"),
    "nx-tech-leader": (SCIENCE, f"{ZW} 任务4"),
    "nx-fledgling": (SCIENCE, f"{ZW} 任务5"),
    "nx-gazelle": (SCIENCE, f"{ZW} 任务6"),
    "nx-unicorn": (SCIENCE, f"{ZW} 任务7"),
    "srdi-sme": (INDUSTRY, f"{ZW} 任务8; {BZ}"),
    "innovative-sme": (INDUSTRY, f"{EEDS}（一）; {BZ}"),
    "nx-industry-leader": (INDUSTRY, f"{ZW} 任务9"),
    "nx-chain-leader": (INDUSTRY, f"{ZW} 任务10"),
    "little-giant": (INDUSTRY, f"{ZW} 任务11; {BZ}"),
    "single-champion": (INDUSTRY, f"{ZW} 任务12"),
    "above-scale": (INDUSTRY, f"{XN} 行动1"),
    "xn-backbone": (INDUSTRY, f"{XN} 行动2"),
    "qh-tech-enterprise": (SCIENCE, f"{XN} 行动3"),
    "xn-city-tech-enterprise": (SCIENCE, f"{XN} 行动3"),
    "qh-tech-giant": (SCIENCE, f"{XN} 行动3"),
    "eeds-city-innovative-sme": (INDUSTRY, f"{EEDS}（一）"),
    "eeds-city-srdi": (INDUSTRY, f"{EEDS}（一）"),
}
# Provincial leads a document names: 002 gives the 自治区工业和信息化厅 its measures for the 专精特新 ladder.
NAMED_PROVINCIAL = {"srdi-sme", "little-giant", "single-champion", "nx-industry-leader", "nx-chain-leader"}
# Stored as data beside the document citations, in the documents' language.
INFERRED_COUNTY = "推定：文件未列县级部门，按市级牵头单位的县级对口部门"
INFERRED_PROVINCE = "推定：文件未列省级部门，按市级牵头单位的省级对口部门"

RESPONSIBILITY_FIELDS = ("line", "is_inferred", "source")


def _rows_for(code: str) -> list[tuple[str, str, bool, str]]:
    line, source = TIER_LINES[code]
    province_named = code in NAMED_PROVINCIAL
    return [
        (COUNTY, line, True, INFERRED_COUNTY),
        (CITY, line, False, source),
        (PROVINCE, line, not province_named, NX if province_named else INFERRED_PROVINCE),
    ]


@transaction.atomic
def load_responsibilities() -> int:
    """Create the rows of every loaded tier; rows an administrator edited (version > 1) stay as they are."""
    count = 0
    for tier in Tier.objects.filter(code__in=TIER_LINES):
        for level, line, is_inferred, source in _rows_for(tier.code):
            row, created = Responsibility.objects.get_or_create(
                tier=tier, level=level, defaults={"line": line, "is_inferred": is_inferred, "source": source}
            )
            if not created and row.version == 1:
                Responsibility.objects.filter(pk=row.pk).update(line=line, is_inferred=is_inferred, source=source)
            count += 1
    return count


@transaction.atomic
def update_responsibility(
    *,
    actor: User,
    responsibility: Responsibility,
    line: str,
    is_inferred: bool,
    source: str,
    expected_version: int,
) -> Responsibility:
    """An administrator changes which department leads a tier at a level; audited, with a version check."""
    locked = Responsibility.objects.select_for_update().get(pk=responsibility.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(_("Someone else changed this responsibility a moment ago. Please reload the page."))
    if line not in DepartmentLine.values:
        raise ServiceError(_("Please choose the responsible department."), code="line")
    update_audited(
        locked,
        actor=actor,
        values={"line": line, "is_inferred": is_inferred, "source": source.strip()[:300]},
        fields=RESPONSIBILITY_FIELDS,
    )
    return locked
