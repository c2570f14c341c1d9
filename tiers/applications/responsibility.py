"""Which department answers for a tier at a level, and whether a user belongs to it.

The `Responsibility` rows name a department line per tier and level (工业和信息化
or 科技, from the documents' 牵头单位); the department itself is found in the
region at hand by its name (市工业和信息化局 in 中卫市, 县工业和信息化局 in 中宁县).
A region that has no department of the line on record (most counties and parks
have none in the reference data) is represented by its government or park
committee: there, staff without a department, or of that government, act.
A tier with no row for a level is not restricted at that level.
"""

from django.utils.translation import gettext as _

from portal.models import Department, Region, User
from tiers.applications.models import LINE_KEYWORDS, DepartmentLine, Responsibility, ReviewLevel
from tiers.models import Tier

LEVEL_OF_KIND = {
    Region.Kind.COUNTY: ReviewLevel.COUNTY,
    Region.Kind.PARK: ReviewLevel.COUNTY,
    Region.Kind.CITY: ReviewLevel.CITY,
    Region.Kind.PROVINCE: ReviewLevel.PROVINCE,
}
# Units that stand in for a line a county or park has no department of.
STAND_IN_KINDS = (Department.Kind.GOVERNMENT, Department.Kind.PARK_COMMITTEE)
LINE_UNIT_NAMES = {
    DepartmentLine.INDUSTRY: "工业和信息化部门",
    DepartmentLine.SCIENCE: "科技部门",
}


def level_of(region: Region | None) -> str | None:
    return LEVEL_OF_KIND.get(region.kind) if region is not None else None


def line_of(department: Department | None) -> str | None:
    """The line a department belongs to, read from its name; None for other units."""
    if department is None or department.kind != Department.Kind.BUREAU:
        return None
    for line, keywords in LINE_KEYWORDS.items():
        if any(keyword in department.name for keyword in keywords):
            return line
    return None


def responsibility_for(tier: Tier, level: str | None) -> Responsibility | None:
    if level is None:
        return None
    return Responsibility.objects.filter(tier=tier, level=level).first()


def departments_of_line(region: Region, line: str) -> list[Department]:
    return [department for department in Department.objects.filter(region=region) if line_of(department) == line]


def unit_name(region: Region, line: str) -> str:
    """What the user is told to look for: the department's name, or the line where the region has none on record."""
    departments = departments_of_line(region, line)
    if departments:
        return departments[0].name
    return LINE_UNIT_NAMES[line]


def belongs_to_line(user: User, region: Region, line: str, departments: list[Department] | None = None) -> bool:
    """Is the user, in `region`, one of the line's people there?"""
    departments = departments_of_line(region, line) if departments is None else departments
    if departments:
        return user.department_id in {department.pk for department in departments}
    return user.department_id is None or user.department.kind in STAND_IN_KINDS


def department_refusal(user: User, tier: Tier, region: Region | None) -> str | None:
    """Why the user, at `region`, is not of the department that leads `tier` at that level; None when they are."""
    responsibility = responsibility_for(tier, level_of(region))
    if responsibility is None or belongs_to_line(user, region, responsibility.line):
        return None
    return _(
        "%(tier)s is handled at %(region)s by %(unit)s; other departments may give a countersigned opinion (会签)."
    ) % {"tier": tier.name, "region": region.name, "unit": unit_name(region, responsibility.line)}


def department_leads(department: Department, tier: Tier) -> bool:
    """Does the department lead `tier` at its region's level? Every department does where nothing is recorded."""
    responsibility = responsibility_for(tier, level_of(department.region))
    return responsibility is None or line_of(department) == responsibility.line


def lines_answered_by(user: User) -> tuple[str | None, set[str]]:
    """The user's level and the lines they act for there (every line a region without such a department lacks)."""
    level = level_of(user.region)
    if level is None:
        return None, set()
    lines = set()
    departments = list(Department.objects.filter(region=user.region))
    for line in DepartmentLine.values:
        of_line = [department for department in departments if line_of(department) == line]
        if belongs_to_line(user, user.region, line, of_line):
            lines.add(line)
    return level, lines


def tiers_out_of_reach(user: User) -> list[int]:
    """Tiers whose steps at the user's level belong to a department the user is not in: two queries."""
    level, lines = lines_answered_by(user)
    if level is None:
        return []
    return list(Responsibility.objects.filter(level=level).exclude(line__in=lines).values_list("tier_id", flat=True))
