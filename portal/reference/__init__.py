"""Reference data named by the five policy documents: regions and departments,
and the resolver that turns a document's list of units into departments."""

from portal.reference.loader import load_regions_and_departments
from portal.reference.units import (
    ResolvedUnit,
    UnitResolver,
    UnresolvedUnitsError,
    resolve_departments,
    resolve_units,
)

__all__ = [
    "ResolvedUnit",
    "UnitResolver",
    "UnresolvedUnitsError",
    "load_regions_and_departments",
    "resolve_departments",
    "resolve_units",
]
