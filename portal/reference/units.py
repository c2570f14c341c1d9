"""Turning a document's list of responsible units into departments.

The documents write lists such as "市委组织部、市工业和信息化局、财政局、人社局，
各县（区）人民政府，中卫工业园区管委会、海兴开发区". The level prefix (市/州/
自治区) carries over to the items that drop it, short forms stand for full
names, and phrases such as "各县（区）人民政府" stand for every county
government of the region. The first unit listed leads ("列第一位的为牵头单位"),
so order is kept. A fragment that matches nothing is returned unresolved,
never dropped.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from portal.models import Department, Region

_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")"})
_OUTER_PARENS = re.compile(r"^\((.*)\)$", re.DOTALL)
_LEAD_NOTE = re.compile(r"[.。]?\s*列第一位的为牵头单位.*$", re.DOTALL)
_LABEL = re.compile(r"(牵\s*头|责\s*任|配\s*合)\s*(单\s*位|部\s*门)\s*:?")
_ALL_LOCAL = re.compile(r"各市[、,]?县\(区\)(人民政府|政府)?")
_SEPARATORS = re.compile(r"[、,;\s]+")
_TRAILING = re.compile(r"(按职责分工负责|等部门|等单位|等|[.。])+$")
_LEVEL_PREFIX = re.compile(r"^(自治区|自治州|州|省|市(?!场))")

# Phrases that stand for a set of units rather than one.
_COUNTY_GOVERNMENTS = re.compile(r"^各(县\(区\)|县区|区县|旗区|县市|县\(市\)|市县|县)(人民)?政府$")
_LOCAL_GOVERNMENTS = "各市县区人民政府"
_PARK_COMMITTEES = re.compile(r"^(经济技术开发区|经开区|开发区)?各(园区|经济开发区|开发区)(管委会|管理委员会)?$")


def normalise(text: str) -> str:
    """Half-width punctuation, ASCII brackets, no surrounding blanks."""
    return unicodedata.normalize("NFKC", text or "").translate(_BRACKETS).strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


@dataclass(frozen=True)
class ResolvedUnit:
    """One unit of a list: the fragment as the document writes it and the department it names.

    A phrase like "各县（区）人民政府" gives one ResolvedUnit per county
    government, each carrying the phrase as its text. `department` is None
    when the fragment names nothing the portal knows.
    """

    text: str
    department: Department | None
    candidates: tuple[Department, ...] = field(default=(), compare=False)

    @property
    def is_resolved(self) -> bool:
        return self.department is not None


class UnresolvedUnitsError(ValueError):
    def __init__(self, fragments: list[str]) -> None:
        self.fragments = fragments
        super().__init__("Unresolved units: " + "、".join(fragments))


def _level_prefix_of(region: Region) -> str:
    """The prefix a region's own units carry: 市 for a city, 州 for a prefecture, 自治区 …"""
    if region.kind == Region.Kind.CITY:
        return "州" if region.name.endswith("州") else "市"
    if region.kind == Region.Kind.PROVINCE:
        return "自治区" if region.name.endswith("自治区") else "省"
    return ""


class UnitResolver:
    """Resolves unit lists for one region; reuse it for many lists (two queries in all)."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.default_prefix = _level_prefix_of(region)
        ancestor_ids = region.ancestors_and_self
        departments = list(
            Department.objects.filter(Q(region__path__startswith=region.path) | Q(region_id__in=ancestor_ids))
            .select_related("region")
            .order_by("region__code", "name")
        )
        park_parents = set(
            Region.objects.filter(path__startswith=region.path, kind=Region.Kind.PARK).values_list(
                "parent_id", flat=True
            )
        )
        distance = {pk: len(ancestor_ids) - position for position, pk in enumerate(ancestor_ids, start=1)}
        self._index: dict[str, list[tuple[int, Department]]] = {}
        for department in departments:
            # The region itself ranks first, then its ancestors nearest first, then the regions below it.
            rank = distance.get(department.region_id, 100)
            for name in (department.name, *department.aliases):
                entries = self._index.setdefault(_key(name), [])
                if all(existing.pk != department.pk for _rank, existing in entries):
                    entries.append((rank, department))
        in_scope = [dept for dept in departments if dept.region.path.startswith(region.path)]
        self._county_governments = [
            dept
            for dept in in_scope
            if dept.kind == Department.Kind.GOVERNMENT and dept.region.kind == Region.Kind.COUNTY
        ]
        self._local_governments = [
            dept
            for dept in in_scope
            if dept.kind == Department.Kind.GOVERNMENT and dept.region.kind in (Region.Kind.CITY, Region.Kind.COUNTY)
        ]
        self._park_committees = [
            dept
            for dept in in_scope
            if dept.kind == Department.Kind.PARK_COMMITTEE
            and dept.region.kind == Region.Kind.PARK
            and dept.region_id not in park_parents
        ]

    def resolve(self, text: str) -> list[ResolvedUnit]:
        units: list[ResolvedUnit] = []
        seen: set[int] = set()
        prefix = self.default_prefix
        for fragment in split_units(text):
            if (match := _LEVEL_PREFIX.match(fragment)) is not None:
                prefix = match.group(1)
            for unit in self._resolve_fragment(fragment, prefix):
                if unit.department is not None:
                    if unit.department.pk in seen:
                        continue
                    seen.add(unit.department.pk)
                units.append(unit)
        return units

    def _resolve_fragment(self, fragment: str, prefix: str) -> list[ResolvedUnit]:
        group = self._expand(fragment)
        if group is not None:
            return [ResolvedUnit(fragment, dept) for dept in group] or [ResolvedUnit(fragment, None)]
        for candidate in (fragment, prefix + fragment):
            entries = self._index.get(_key(candidate))
            if not entries:
                continue
            best = min(rank for rank, _dept in entries)
            chosen = [dept for rank, dept in entries if rank == best]
            if len(chosen) == 1:
                return [ResolvedUnit(fragment, chosen[0])]
            return [ResolvedUnit(fragment, None, tuple(chosen))]
        return [ResolvedUnit(fragment, None)]

    def _expand(self, fragment: str) -> list[Department] | None:
        if fragment == _LOCAL_GOVERNMENTS:
            return self._local_governments
        if _COUNTY_GOVERNMENTS.match(fragment):
            return self._county_governments
        if _PARK_COMMITTEES.match(fragment):
            return self._park_committees
        return None


def split_units(text: str) -> list[str]:
    """The fragments of a unit list, labels, notes and trailing "等" removed."""
    text = normalise(text)
    if match := _OUTER_PARENS.match(text):
        text = match.group(1)
    text = _LEAD_NOTE.sub("", text)
    text = _LABEL.sub(",", text)
    text = _ALL_LOCAL.sub(_LOCAL_GOVERNMENTS, text)
    fragments = (_TRAILING.sub("", part) for part in _SEPARATORS.split(text))
    return [fragment for fragment in fragments if fragment]


def resolve_units(text: str, *, region: Region) -> list[ResolvedUnit]:
    """The departments a document's unit list names, in the document's order.

    `region` is the issuing region of the document (中卫市 for its task list);
    units of that region, its ancestors and the regions below it are found.
    Unresolved fragments come back with `department=None`.
    """
    return UnitResolver(region).resolve(text)


def resolve_departments(text: str, *, region: Region) -> list[Department]:
    """Like resolve_units, but every fragment must resolve (raises UnresolvedUnitsError)."""
    units = resolve_units(text, region=region)
    return departments_of(units)


def departments_of(units: Iterable[ResolvedUnit]) -> list[Department]:
    units = list(units)
    unresolved = [unit.text for unit in units if not unit.is_resolved]
    if unresolved:
        raise UnresolvedUnitsError(unresolved)
    return [unit.department for unit in units]
