"""The register's window on titles (enterprises.holdings): what tiers lends the app below it.

Installed by `TiersConfig.ready`. Each method is the one tiers already uses itself, so a
title read or written from the register's pages or a roster follows the same rules as one
from the tiers pages: `grant` is `grant_recognition`, and `grant_rows` is its set-based
twin for rosters — valid_until from the tier's validity, expired when already past, never
twice, audited — with the hooks run once for the whole roster (`granted`).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from enterprises.roster.committer import audit_rows
from enterprises.roster.sql import insert_rows
from portal.audit import to_json_value
from portal.models import AuditEvent, User
from tiers import services
from tiers.models import Recognition, Tier


class TierHoldings:
    label = Recognition._meta.label_lower

    def tiers(self) -> QuerySet[Tier]:
        return Tier.objects.order_by("level", "name")

    def valid(self) -> QuerySet[Recognition]:
        return Recognition.objects.filter(status=Recognition.Status.VALID).select_related("tier").order_by("tier__name")

    def history(self) -> QuerySet[Recognition]:
        return Recognition.objects.select_related("tier").order_by("-recognized_on", "-pk")

    def held(self, *, enterprise_ids: Iterable[int], tier_ids: Iterable[int]) -> set[tuple[int, int, datetime.date]]:
        return set(
            Recognition.objects.filter(enterprise_id__in=enterprise_ids, tier_id__in=tier_ids).values_list(
                "enterprise_id", "tier_id", "recognized_on"
            )
        )

    def grant(self, *, actor: User, enterprise: Any, **fields: Any) -> tuple[Recognition, bool]:
        return services.grant_recognition(actor=actor, enterprise=enterprise, **fields)

    def grant_rows(self, rows: list[dict[str, Any]], *, actor: User | None) -> list[int]:
        """Rows of enterprise_id, tier_id, recognized_on, batch, certificate_no, and for the audit
        trail enterprise_name and region_id."""
        if not rows:
            return []
        today = datetime.date.today()  # as grant_recognition decides it
        tiers = {tier.pk: tier for tier in Tier.objects.filter(pk__in={row["tier_id"] for row in rows})}
        records = []
        for row in rows:
            valid_until = services.valid_until_for(tier=tiers[row["tier_id"]], recognized_on=row["recognized_on"])
            records.append(
                {
                    "enterprise_id": row["enterprise_id"],
                    "tier_id": row["tier_id"],
                    "recognized_on": row["recognized_on"],
                    "year": row["recognized_on"].year,
                    "batch": row["batch"],
                    "certificate_no": row["certificate_no"],
                    "valid_until": valid_until,
                    "status": Recognition.Status.EXPIRED
                    if valid_until and valid_until < today
                    else Recognition.Status.VALID,
                    "source": Recognition.Source.ROSTER,
                }
            )
        insert_rows(Recognition, rows=records)
        ids = {
            (enterprise_id, tier_id, recognized_on): pk
            for enterprise_id, tier_id, recognized_on, pk in Recognition.objects.filter(
                enterprise_id__in=[record["enterprise_id"] for record in records], tier_id__in=set(tiers)
            ).values_list("enterprise_id", "tier_id", "recognized_on", "pk")
        }
        for record in records:
            record["pk"] = ids[(record["enterprise_id"], record["tier_id"], record["recognized_on"])]
        audit_rows(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            model=Recognition,
            rows=[
                (
                    record["pk"],
                    f"{row['enterprise_name']} · {tiers[record['tier_id']]} ({record['year']})",
                    {
                        "tier": [None, str(tiers[record["tier_id"]])],
                        "recognized_on": [None, to_json_value(record["recognized_on"])],
                        "batch": [None, record["batch"]],
                        "certificate_no": [None, record["certificate_no"]],
                        "valid_until": [None, to_json_value(record["valid_until"])],
                        "status": [None, record["status"]],
                        "source": [None, record["source"]],
                    },
                )
                for row, record in zip(rows, records, strict=True)
            ],
            region_ids=[row["region_id"] for row in rows],
        )
        return [record["pk"] for record in records]

    def granted(self, *, recognition_ids: list[int]) -> None:
        services.on_recognitions_granted(recognition_ids=recognition_ids)


PROVIDER = TierHoldings()
