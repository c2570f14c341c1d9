"""Reference data named by the five policy documents: regions and departments."""

from portal.reference.regions import load_regions_and_departments

__all__ = ["load_regions_and_departments"]
