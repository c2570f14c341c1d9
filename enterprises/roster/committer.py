"""Writing a roster's row plans: set-based, all or nothing, audited.

Per batch of rows the committer issues a fixed number of statements: one
INSERT for new enterprises, one UPDATE … FROM (VALUES …) for changed ones, the
same for yearly indicators, one INSERT for new recognitions and one for the
audit events. Recognitions are granted by the tiers app's set-based twin of
grant_recognition (enterprises.holdings, provided by tiers/holdings.py); the hooks
run once after commit with every new recognition and every changed enterprise
(RECOGNITION_BATCH_GRANTED_HOOKS, ENTERPRISE_CHANGE_HOOKS).
规上 periods (enterprises/roster/periods.py) follow enterprises.scale_periods: one insert
and one update per batch, audited, ABOVE_SCALE_ENTERED_HOOKS after commit per new period.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from enterprises.holdings import holdings
from enterprises.models import AnnualIndicator, Enterprise, IndicatorSource
from enterprises.roster import periods
from enterprises.roster.compare import RowOutcome
from enterprises.roster.rows import ENTERPRISE_KEYS
from enterprises.roster.sql import insert_rows, update_from_values
from enterprises.selectors import forget_enterprise_counts
from enterprises.services import on_enterprises_changed
from portal.audit import current_origin
from portal.cache import figures_changed
from portal.models import AuditEvent, User

BATCH_SIZE = 2000
ENTERPRISE_UPDATE_FIELDS = [*ENTERPRISE_KEYS, "is_credit_code_flagged"]
INDICATOR_FIELDS = list(AnnualIndicator.value_fields())


@dataclass
class CommitCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators: int = 0
    recognitions: int = 0
    periods: int = 0


def audit_rows(
    *, actor: User | None, action: str, model, rows: list[tuple[int, str, dict]], region_ids: list[int | None]
) -> None:
    """portal.audit.audit_rows, written through insert_rows: the same events, without model instances."""
    origin = current_origin()
    actor_id = actor.pk if actor is not None else None
    object_type = model._meta.label_lower
    insert_rows(
        AuditEvent,
        rows=[
            {
                "actor_id": actor_id,
                "origin": origin,
                "action": action,
                "object_type": object_type,
                "object_id": str(object_id),
                "object_repr": text[:255],
                "region_id": region_id,
                "changes": changes,
                "note": "",
            }
            for (object_id, text, changes), region_id in zip(rows, region_ids, strict=True)
        ],
    )


def _enterprise_key(key: str) -> str:
    return "region_id" if key == "region" else key


def _create_enterprises(outcomes: list[RowOutcome], actor: User | None, region_names: dict[int, str]) -> None:
    if not outcomes:
        return
    rows = []
    for outcome in outcomes:
        plan = outcome.plan
        row = {_enterprise_key(key): value for key, value in plan.enterprise.items()}
        row.update(credit_code=plan.credit_code, is_credit_code_flagged=plan.flagged_check is not None)
        rows.append(row)
    insert_rows(Enterprise, rows=rows)
    forget_enterprise_counts()  # the SQL above sends no model signals
    figures_changed()
    ids = dict(
        Enterprise.objects.filter(credit_code__in=[row["credit_code"] for row in rows]).values_list("credit_code", "pk")
    )
    audit = []
    for outcome, row in zip(outcomes, rows, strict=True):
        outcome.enterprise_id = ids[row["credit_code"]]
        changes = {"credit_code": [None, row["credit_code"]]}
        for key, value in outcome.plan.to_json()["enterprise"].items():
            changes[key] = [None, region_names.get(value) if key == "region" else value]
        if row["is_credit_code_flagged"]:
            changes["is_credit_code_flagged"] = [None, True]
        audit.append((outcome.enterprise_id, row["name"], changes))
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        model=Enterprise,
        rows=audit,
        region_ids=[row["region_id"] for row in rows],
    )


def _update_enterprises(outcomes: list[RowOutcome], actor: User | None) -> None:
    changed = [outcome for outcome in outcomes if outcome.enterprise_changes]
    if not changed:
        return
    now = timezone.now()
    rows = []
    for outcome in changed:
        current = outcome.existing
        merged = {
            key: outcome.plan.enterprise.get(key, current[_enterprise_key(key)]) for key in ENTERPRISE_UPDATE_FIELDS
        }
        merged["is_credit_code_flagged"] = outcome.plan.flagged_check is not None
        rows.append((current["id"], *[merged[key] for key in ENTERPRISE_UPDATE_FIELDS], now))
    update_from_values(Enterprise, fields=[*ENTERPRISE_UPDATE_FIELDS, "updated_at"], rows=rows)
    forget_enterprise_counts()  # the SQL above sends no model signals
    figures_changed()
    audit_rows(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        model=Enterprise,
        rows=[
            (
                outcome.enterprise_id,
                outcome.plan.enterprise.get("name") or outcome.existing["name"],
                outcome.enterprise_changes,
            )
            for outcome in changed
        ],
        region_ids=[outcome.plan.enterprise.get("region", outcome.existing["region_id"]) for outcome in changed],
    )


def _write_indicators(outcomes: list[RowOutcome], actor: User | None, roster_import_id: int) -> int:
    stamp = {
        "source": IndicatorSource.ROSTER,
        "by": actor.pk if actor else None,
        "at": timezone.now().isoformat(),
        "import": roster_import_id,
    }
    # The stamp is the same for every figure of the import: one object per set of fields.
    patches: dict[tuple[str, ...], dict[str, Any]] = {}

    def _source_patch(keys: tuple[str, ...]) -> dict[str, Any]:
        if keys not in patches:
            patches[keys] = {key: stamp for key in keys}
        return patches[keys]

    to_create: list[tuple[RowOutcome, dict[str, Any]]] = []
    to_update: list[RowOutcome] = []
    for outcome in outcomes:
        plan = outcome.plan
        if not plan.indicator:
            continue
        if outcome.action == "create" or outcome.existing_indicator is None:
            outcome.indicator_changes = {key: [None, value] for key, value in plan.to_json()["indicator"].items()}
            indicator = {
                "enterprise_id": outcome.enterprise_id,
                "year": plan.indicator_year,
                "sources": _source_patch(tuple(plan.indicator)),
                **plan.indicator,
            }
            to_create.append((outcome, indicator))
        elif outcome.indicator_changes:
            to_update.append(outcome)
    insert_rows(AnnualIndicator, rows=[indicator for _outcome, indicator in to_create])
    created_ids = {}
    if to_create:
        created_ids = {
            (enterprise_id, year): pk
            for enterprise_id, year, pk in AnnualIndicator.objects.filter(
                enterprise_id__in=[row["enterprise_id"] for _outcome, row in to_create],
                year__in={row["year"] for _outcome, row in to_create},
            ).values_list("enterprise_id", "year", "pk")
        }
    now = timezone.now()
    rows = []
    for outcome in to_update:
        current = outcome.existing_indicator
        merged = {key: outcome.plan.indicator.get(key, current[key]) for key in INDICATOR_FIELDS}
        patch = json.dumps(_source_patch(tuple(outcome.indicator_changes)), ensure_ascii=False)
        rows.append((current["id"], *[merged[key] for key in INDICATOR_FIELDS], patch, now))
    update_from_values(
        AnnualIndicator, fields=[*INDICATOR_FIELDS, "sources", "updated_at"], rows=rows, merge_json=("sources",)
    )
    region_of = {outcome.enterprise_id: _region_id(outcome) for outcome in outcomes}
    for action, items in (
        (
            AuditEvent.Action.CREATE,
            [(created_ids[(row["enterprise_id"], row["year"])], outcome) for outcome, row in to_create],
        ),
        (AuditEvent.Action.UPDATE, [(outcome.existing_indicator["id"], outcome) for outcome in to_update]),
    ):
        audit_rows(
            actor=actor,
            action=action,
            model=AnnualIndicator,
            rows=[
                (pk, f"{_name(outcome)} {outcome.plan.indicator_year}", outcome.indicator_changes)
                for pk, outcome in items
            ],
            region_ids=[region_of[outcome.enterprise_id] for _pk, outcome in items],
        )
    return len(to_create) + len(to_update)


def _name(outcome: RowOutcome) -> str:
    return outcome.plan.enterprise.get("name") or (outcome.existing or {}).get("name", "")


def _region_id(outcome: RowOutcome) -> int:
    return outcome.plan.enterprise.get("region") or outcome.existing["region_id"]


def _grant_recognitions(outcomes: list[RowOutcome], actor: User | None) -> list[int]:
    """New titles of the accepted rows, granted set-based by the tiers app (enterprises.holdings)."""
    rows = []
    for outcome in outcomes:
        recognition = outcome.plan.recognition
        if not recognition or not (outcome.action == "create" or outcome.is_new_recognition):
            continue
        rows.append(
            {
                "enterprise_id": outcome.enterprise_id,
                "tier_id": recognition["tier_id"],
                "recognized_on": recognition["recognized_on"],
                "batch": recognition["batch"],
                "certificate_no": recognition["certificate_no"],
                "enterprise_name": _name(outcome),
                "region_id": _region_id(outcome),
            }
        )
    return holdings().grant_rows(rows, actor=actor)


def write_outcomes(
    outcomes: list[RowOutcome],
    *,
    actor: User | None,
    roster_import_id: int,
    region_names: dict[int, str],
    progress: Callable[[int, int], None] | None = None,
) -> CommitCounts:
    """Write every accepted outcome; the caller holds the transaction."""
    batches = (outcomes[start : start + BATCH_SIZE] for start in range(0, len(outcomes), BATCH_SIZE))
    return write_outcome_batches(
        batches,
        actor=actor,
        roster_import_id=roster_import_id,
        region_names=region_names,
        progress=progress,
        total=len(outcomes),
    )


def write_outcome_batches(
    batches: Iterable[list[RowOutcome]],
    *,
    actor: User | None,
    roster_import_id: int,
    region_names: dict[int, str],
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> CommitCounts:
    """Write accepted outcomes batch by batch (only one batch is held); the caller holds the transaction."""
    counts = CommitCounts()
    recognition_ids: list[int] = []
    period_ids: list[int] = []
    changed_ids: list[int] = []
    done = 0
    for batch in batches:
        creates = [outcome for outcome in batch if outcome.action == "create"]
        updates = [outcome for outcome in batch if outcome.action == "update"]
        _create_enterprises(creates, actor, region_names)
        _update_enterprises(updates, actor)
        counts.indicators += _write_indicators(creates + updates, actor, roster_import_id)
        recognition_ids += _grant_recognitions(creates + updates, actor)
        period_ids += periods.write_periods(creates + updates, actor)
        counts.periods += sum(
            1 for outcome in creates + updates if outcome.scale_change and outcome.scale_change["kind"] != "unchanged"
        )
        counts.created += len(creates)
        counts.updated += len(updates)
        counts.unchanged += len(batch) - len(creates) - len(updates)
        changed_ids += [outcome.enterprise_id for outcome in creates + updates]
        done += len(batch)
        if progress:
            progress(done, max(total, done))
    counts.recognitions = len(recognition_ids)
    _after_commit(recognition_ids, changed_ids)
    periods.fire_entered_hooks(period_ids)
    return counts


def _after_commit(recognition_ids: list[int], enterprise_ids: list[int]) -> None:
    """The hooks grant_recognition and save_indicators run, called once for the whole roster."""
    holdings().granted(recognition_ids=recognition_ids)
    on_enterprises_changed(enterprise_ids=enterprise_ids)


__all__ = ["BATCH_SIZE", "CommitCounts", "write_outcome_batches", "write_outcomes"]
