"""Demo users, enterprises, yearly figures and recognitions for trying the portal.

Everything is generated from a fixed seed, so every run plans the same data,
and every write is audited like any other change.
Running it again adds nothing: accounts and enterprises that exist are left
as they are, even if someone has edited them since.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from enterprises.models import ENTERPRISE_FIELDS, AnnualIndicator, Enterprise, IndicatorSource
from enterprises.services import on_enterprises_changed
from portal.audit import audit_rows, diff, snapshot, to_json_value
from portal.models import AuditEvent, Region, User
from portal.reference.loader import load_regions_and_departments
from seed.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, load_accounts
from seed.demo.compliance import load_demo_compliance
from seed.demo.plan import PlannedEnterprise, plan_demo_enterprises
from seed.demo.workflow import open_demo_batches
from tiers.models import PoolEntry, Recognition, Tier
from tiers.reference import load_tiers_and_ladders
from tiers.services import RECOGNITION_FIELDS, on_recognitions_granted, valid_until_for

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoAccount", "load_demo", "plan_demo_enterprises"]


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create the demo accounts and enterprises that do not exist yet.

    Enterprises and their figures are written set-based and audited with
    audit_rows, as a roster import would be; recognitions go through
    grant_recognition so that rewards and eligibility hear of them.
    """
    load_regions_and_departments()
    load_tiers_and_ladders()
    regions = {region.code: region for region in Region.objects.all()}
    accounts = load_accounts(regions)
    admin = accounts["admin"]
    planned = plan_demo_enterprises()
    existing = set(
        Enterprise.objects.filter(credit_code__in=[item.credit_code for item in planned]).values_list(
            "credit_code", flat=True
        )
    )
    missing = [item for item in planned if item.credit_code not in existing]
    enterprises = _create_enterprises(missing, regions=regions, accounts=accounts, actor=admin)
    _create_indicators(missing, enterprises, actor=admin)
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    recognitions = _grant_recognitions(missing, enterprises, tiers=tiers, actor=admin)
    _create_pool_visits(missing, enterprises, tiers=tiers, actor=admin)
    load_demo_compliance(actor=admin)
    on_enterprises_changed(enterprise_ids=[enterprise.pk for enterprise in enterprises])
    return {
        "batches_opened": open_demo_batches(regions),
        "accounts": len(DEMO_ACCOUNTS),
        "enterprises": len(planned),
        "enterprises_created": len(enterprises),
        "recognitions_created": recognitions,
    }


def _create_enterprises(
    items: list[PlannedEnterprise], *, regions: dict[str, Region], accounts: dict[str, User], actor: User
) -> list[Enterprise]:
    # Each county's staff member serves that county's enterprises, and 博州's the whole prefecture's.
    commissioners = {
        "640502": accounts["spt_staff"],
        "640521": accounts["zn_staff"],
        "640522": accounts["hy_staff"],
        "640500-P01": accounts["zwgy_staff"],
    }
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                credit_code=item.credit_code,
                name=item.name,
                region=regions[item.region_code],
                industry_code=item.industry_code,
                registered_on=item.registered_on,
                size_class=item.size_class,
                is_above_scale=item.is_above_scale,
                main_products=item.main_products,
                is_listed=item.is_listed,
                service_commissioner=commissioners.get(item.region_code)
                or (accounts["bz_staff"] if item.region_code.startswith("6527") else None),
            )
            for item in items
        ]
    )
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        model=Enterprise,
        rows=[
            (enterprise.pk, enterprise.name, diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)))
            for enterprise in enterprises
        ],
        region_ids=[enterprise.region_id for enterprise in enterprises],
        note="demo data",
    )
    return enterprises


def _create_indicators(items: list[PlannedEnterprise], enterprises: list[Enterprise], *, actor: User) -> None:
    stamp = {"source": IndicatorSource.ROSTER, "by": actor.pk, "at": timezone.now().isoformat()}
    indicators = AnnualIndicator.objects.bulk_create(
        [
            AnnualIndicator(
                enterprise=enterprise,
                year=year,
                sources={name: stamp for name, value in values.items() if value is not None},
                **values,
            )
            for item, enterprise in zip(items, enterprises, strict=True)
            for year, values in sorted(item.indicators.items())
        ],
        batch_size=500,
    )
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        model=AnnualIndicator,
        rows=[
            (
                indicator.pk,
                f"{indicator.enterprise.name} {indicator.year}",
                {name: [None, to_json_value(getattr(indicator, name))] for name in indicator.sources},
            )
            for indicator in indicators
        ],
        region_ids=[indicator.enterprise.region_id for indicator in indicators],
        note="demo data",
    )


def _grant_recognitions(
    items: list[PlannedEnterprise], enterprises: list[Enterprise], *, tiers: dict[str, Tier], actor: User
) -> int:
    """The register's recognition history, written set-based and audited as a roster import writes it;
    rewards and eligibility hear of the whole batch at once (on_recognitions_granted)."""
    today = timezone.localdate()
    rows = []
    for item, enterprise in zip(items, enterprises, strict=True):
        for planned in item.recognitions:
            tier = tiers[planned.tier_code]
            valid_until = valid_until_for(tier=tier, recognized_on=planned.recognized_on)
            rows.append(
                Recognition(
                    enterprise=enterprise,
                    tier=tier,
                    recognized_on=planned.recognized_on,
                    year=planned.recognized_on.year,
                    batch=planned.batch,
                    certificate_no=planned.certificate_no,
                    valid_until=valid_until,
                    status=Recognition.Status.EXPIRED
                    if valid_until and valid_until < today
                    else Recognition.Status.VALID,
                    source=Recognition.Source.ROSTER,
                )
            )
    created = Recognition.objects.bulk_create(rows, batch_size=1000)
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        model=Recognition,
        rows=[
            (
                recognition.pk,
                f"{recognition.enterprise.name} · {recognition.tier.name} ({recognition.year})",
                {key: [None, value] for key, value in snapshot(recognition, RECOGNITION_FIELDS).items()},
            )
            for recognition in created
        ],
        region_ids=[recognition.enterprise.region_id for recognition in created],
        note="demo data",
    )
    on_recognitions_granted(recognition_ids=[recognition.pk for recognition in created])
    return len(created)


def _create_pool_visits(
    items: list[PlannedEnterprise], enterprises: list[Enterprise], *, tiers: dict[str, Tier], actor: User
) -> None:
    def moment(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))

    entries = PoolEntry.objects.bulk_create(
        [
            PoolEntry(
                enterprise=enterprise,
                tier=tiers[visit.tier_code],
                region=enterprise.region,
                origin=PoolEntry.Origin.MANUAL,
                reason="重点培育对象",
                entered_at=moment(visit.entered_on),
                entered_by=actor,
                left_at=moment(visit.left_on) if visit.left_on else None,
                left_reason=visit.reason,
            )
            for item, enterprise in zip(items, enterprises, strict=True)
            for visit in item.pool_visits
        ]
    )
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        model=PoolEntry,
        rows=[(entry.pk, f"{entry.enterprise.name} → {entry.tier.name}", {}) for entry in entries],
        region_ids=[entry.region_id for entry in entries],
        note="demo data",
    )
