"""The dry run, part two: what each row plan would change in the register.

A handful of queries per 2,000 rows, whatever the file's size. The committer
calls this again inside its transaction, with the rows locked, so what it
writes is measured against the register as it is then, not at dry-run time.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from enterprises.holdings import holdings
from enterprises.models import AnnualIndicator, Enterprise
from enterprises.roster import periods as scale_periods
from enterprises.roster.headers import BY_KEY
from enterprises.roster.rows import ENTERPRISE_KEYS, RowPlan
from enterprises.roster.sql import read_rows
from portal.audit import to_json_value
from portal.models import User

CHUNK = 2000
ENTERPRISE_VALUE_FIELDS = (
    "id",
    "credit_code",
    *(field.attname for field in Enterprise._meta.concrete_fields if field.name in ENTERPRISE_KEYS),
    "is_credit_code_flagged",
    "region__path",
    "version",
)

INDICATOR_VALUE_FIELDS = ("id", "enterprise_id", "year", "version", *AnnualIndicator.value_fields())


@dataclass
class RowOutcome:
    plan: RowPlan
    action: str  # create, update, unchanged, reject
    enterprise_id: int | None = None
    enterprise_changes: dict[str, list[Any]] = field(default_factory=dict)
    indicator_id: int | None = None
    indicator_changes: dict[str, list[Any]] = field(default_factory=dict)
    is_new_recognition: bool = False
    existing: dict[str, Any] | None = None
    existing_indicator: dict[str, Any] | None = None
    scale_change: dict[str, Any] | None = None  # the row's 规上 period: see enterprises.roster.periods
    errors: list[dict[str, Any]] = field(default_factory=list)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _field_key(key: str) -> str:
    return "region_id" if key == "region" else key


def compare_with_register(
    plans: list[RowPlan], *, actor: User, labels: dict[str, str], region_names: dict[int, str], lock: bool = False
) -> list[RowOutcome]:
    """Outcome per plan; `labels` are the file's header texts for rejection messages."""
    existing: dict[str, dict[str, Any]] = {}
    for chunk in _chunks([plan.credit_code for plan in plans]):
        qs = Enterprise.objects.filter(credit_code__in=chunk)
        if lock:
            qs = qs.select_for_update(of=("self",))
        for row in read_rows(qs, ENTERPRISE_VALUE_FIELDS):
            existing[row["credit_code"]] = row
    enterprise_ids = [row["id"] for row in existing.values()]
    years = {plan.indicator_year for plan in plans if plan.indicator}
    indicators: dict[tuple[int, int], dict[str, Any]] = {}
    held: set[tuple[int, int, datetime.date]] = set()
    tier_ids = {plan.recognition["tier_id"] for plan in plans if plan.recognition}
    has_scale = any(plan.scale for plan in plans)
    periods: dict[int, list[dict[str, Any]]] = {}
    for chunk in _chunks(enterprise_ids):
        if years:
            qs = AnnualIndicator.objects.filter(enterprise_id__in=chunk, year__in=years)
            if lock:
                qs = qs.select_for_update()
            # `sources` is merged by the database when writing, never read here.
            for row in read_rows(qs, INDICATOR_VALUE_FIELDS):
                indicators[(row["enterprise_id"], row["year"])] = row
        if tier_ids:
            held.update(holdings().held(enterprise_ids=chunk, tier_ids=tier_ids))
        if has_scale:
            periods.update(scale_periods.read_periods(chunk, lock=lock))
    scope = actor.scope_path or ""
    outcomes = []
    for plan in plans:
        current = existing.get(plan.credit_code)
        outcome = RowOutcome(plan=plan, action="unchanged", existing=current)
        if current is None:
            missing = [key for key in ("name", "region") if key not in plan.enterprise]
            if missing:
                outcome.action = "reject"
                outcome.errors = [
                    {"row": plan.row, "column": labels.get(key, BY_KEY[key].label), "code": "required", "params": {}}
                    for key in missing
                ]
            else:
                outcome.action = "create"
            if plan.scale and outcome.action == "create":
                _compare_period(outcome, [], labels)
            outcomes.append(outcome)
            continue
        outcome.enterprise_id = current["id"]
        if not current["region__path"].startswith(scope):
            outcome.action = "reject"
            outcome.errors = [
                {
                    "row": plan.row,
                    "column": labels.get("credit_code", ""),
                    "code": "enterprise_out_of_scope",
                    "params": {"value": plan.credit_code},
                }
            ]
            outcomes.append(outcome)
            continue
        if plan.scale:
            _compare_period(outcome, periods.get(current["id"], []), labels)
            if outcome.action == "reject":
                outcomes.append(outcome)
                continue
        for key, value in plan.enterprise.items():
            before = current[_field_key(key)]
            if before != value:
                if key == "region":
                    outcome.enterprise_changes[key] = [region_names.get(before), region_names.get(value)]
                else:
                    outcome.enterprise_changes[key] = [to_json_value(before), to_json_value(value)]
        is_flagged = plan.flagged_check is not None
        if current["is_credit_code_flagged"] != is_flagged:
            outcome.enterprise_changes["is_credit_code_flagged"] = [current["is_credit_code_flagged"], is_flagged]
        if plan.indicator:
            row = indicators.get((current["id"], plan.indicator_year))
            outcome.existing_indicator = row
            if row is not None:
                outcome.indicator_id = row["id"]
            for key, value in plan.indicator.items():
                before = row[key] if row is not None else None
                if before != value:
                    outcome.indicator_changes[key] = [to_json_value(before), to_json_value(value)]
        if plan.recognition:
            recognition = plan.recognition
            outcome.is_new_recognition = (
                current["id"],
                recognition["tier_id"],
                recognition["recognized_on"],
            ) not in held
        if (
            outcome.enterprise_changes
            or outcome.indicator_changes
            or outcome.is_new_recognition
            or (outcome.scale_change and outcome.scale_change["kind"] != "unchanged")
        ):
            outcome.action = "update"
        outcomes.append(outcome)
    return outcomes


def _compare_period(outcome: RowOutcome, stored: list[dict[str, Any]], labels: dict[str, str]) -> None:
    """The row's 规上 period against the enterprise's stored ones: a change, or the row rejected."""
    change, errors = scale_periods.period_change(outcome.plan, stored, labels)
    if errors:
        outcome.action = "reject"
        outcome.errors = errors
        return
    outcome.scale_change = change
    scale_periods.apply_flag(outcome.plan, change, stored)
