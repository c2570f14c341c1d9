"""Loading the reference regions and departments into the database."""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from portal.audit import audit_rows
from portal.cache import figures_changed
from portal.models import AuditEvent, Department, Region
from portal.reference.departments import DEPARTMENTS, DepartmentSpec
from portal.reference.regions import REGIONS


@transaction.atomic
def load_regions_and_departments() -> dict[str, int]:
    """Create or update every region and department of the reference data; running it twice changes nothing.

    Returns how many regions and departments there are, and how many this run
    created or changed.
    """
    region_changes = _load_regions()
    regions = {region.code: region for region in Region.objects.all()}
    department_changes = _load_departments(regions, DEPARTMENTS)
    return {
        "regions": len(REGIONS),
        "regions_changed": region_changes,
        "departments": len(DEPARTMENTS),
        "departments_changed": department_changes,
    }


def _load_regions() -> int:
    existing = {region.code: region for region in Region.objects.select_related("parent")}
    created, updated = [], []
    for spec in REGIONS:
        parent = existing[spec.parent_code] if spec.parent_code else None
        region = existing.get(spec.code)
        if region is None:
            region = Region(code=spec.code, name=spec.name, short_name=spec.short_name, kind=spec.kind, parent=parent)
            region.save()
            existing[spec.code] = region
            created.append(region)
            continue
        wanted = {
            "name": spec.name,
            "short_name": spec.short_name,
            "kind": spec.kind,
            "parent_id": parent and parent.pk,
        }
        before = {key: getattr(region, key) for key in wanted}
        old_path = region.path
        for key, value in wanted.items():
            setattr(region, key, value)
        region.parent = parent
        expected_path = (parent.path if parent else "") + f"{region.pk:05d}."
        if before == wanted and old_path == expected_path:
            continue
        region.save()
        if region.path != old_path:
            _move_descendants(
                old_path=old_path, new_path=region.path, depth_delta=region.depth - old_path.count(".") + 1
            )
            _refresh_paths(existing)
        updated.append((region, {key: [before[key], wanted[key]] for key in wanted if before[key] != wanted[key]}))
    _audit(Region, created, updated)
    return len(created) + len(updated)


def _move_descendants(*, old_path: str, new_path: str, depth_delta: int) -> None:
    """Keep the materialised paths below a region that moved in the tree consistent."""
    Region.objects.filter(path__startswith=old_path).exclude(path=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + depth_delta
    )
    figures_changed()


def _refresh_paths(existing: dict[str, Region]) -> None:
    fresh = dict(Region.objects.values_list("pk", "path"))
    for region in existing.values():
        region.path = fresh.get(region.pk, region.path)
        region.depth = region.path.count(".") - 1


def _load_departments(regions: dict[str, Region], specs: tuple[DepartmentSpec, ...]) -> int:
    existing = {(dept.region_id, dept.name): dept for dept in Department.objects.all()}
    created, updated = [], []
    for spec in specs:
        region = regions[spec.region_code]
        department = existing.get((region.pk, spec.name))
        aliases = list(spec.aliases)
        if department is None:
            department = Department.objects.create(region=region, name=spec.name, kind=spec.kind, aliases=aliases)
            existing[(region.pk, spec.name)] = department
            created.append(department)
            continue
        changes = {}
        if department.kind != spec.kind:
            changes["kind"] = [department.kind, spec.kind]
        if department.aliases != aliases:
            changes["aliases"] = [department.aliases, aliases]
        if changes:
            department.kind, department.aliases = spec.kind, aliases
            department.save(update_fields=["kind", "aliases"])
            updated.append((department, changes))
    _audit(Department, created, updated)
    return len(created) + len(updated)


def _audit(model, created: list, updated: list) -> None:
    def region_of(instance):
        return instance.pk if model is Region else instance.region_id

    if created:
        audit_rows(
            actor=None,
            action=AuditEvent.Action.CREATE,
            model=model,
            rows=[(item.pk, str(item), {"name": [None, item.name]}) for item in created],
            region_ids=[region_of(item) for item in created],
            note="reference data",
        )
    if updated:
        audit_rows(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            model=model,
            rows=[(item.pk, str(item), changes) for item, changes in updated],
            region_ids=[region_of(item) for item, _changes in updated],
            note="reference data",
        )
