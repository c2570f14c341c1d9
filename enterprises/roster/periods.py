"""规上 periods (入库 and 退库 dates) from a roster: compared with the register, then written set-based.

The same rules as the hand entry in `enterprises.scale_periods` (no overlap with
another period of the enterprise, 退库 not before 入库, no date in the future), the
same audit events and the same after-commit hooks (ABOVE_SCALE_ENTERED_HOOKS for
every new period: rewards read the history). The register's 是否规上 flag follows
the open period unless the file states it.

Nothing here runs for a roster without the two columns.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from enterprises import scale_periods
from enterprises.models import AboveScalePeriod
from enterprises.roster.rows import RowPlan
from enterprises.roster.sql import insert_rows, update_from_values
from portal.models import AuditEvent, User

FAR = datetime.date.max


def read_periods(enterprise_ids: list[int], *, lock: bool) -> dict[int, list[dict[str, Any]]]:
    """The stored periods of these enterprises, oldest first: one query."""
    qs = AboveScalePeriod.objects.filter(enterprise_id__in=enterprise_ids).order_by("enterprise_id", "entered_on")
    if lock:
        qs = qs.select_for_update()
    periods: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in qs.values("id", "enterprise_id", "entered_on", "left_on"):
        periods[row["enterprise_id"]].append(row)
    return periods


def period_change(
    plan: RowPlan, periods: list[dict[str, Any]], labels: dict[str, str]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(change, row errors) for the period the row states, measured against the enterprise's stored periods.

    A change is {"kind": new | closed | unchanged, "period_id", "entered_on", "left_on", "before"}.
    An exit date without an entry date closes the open period.
    """
    scale = plan.scale
    entered_on, left_on = scale["entered_on"], scale["left_on"]

    def error(key: str, code: str, **params: Any) -> tuple[None, list[dict[str, Any]]]:
        column = labels.get(key) or labels.get("scale_left_on") or labels.get("scale_entered_on", "")
        return None, [{"row": plan.row, "column": column, "code": code, "params": params}]

    match = None
    if entered_on is None:
        match = next((period for period in periods if period["left_on"] == left_on), None)
        if match is None:
            match = next((period for period in reversed(periods) if period["left_on"] is None), None)
            if match is None:
                return error("scale_left_on", "scale_exit_without_period", value=left_on.isoformat())
            if left_on < match["entered_on"]:
                return error(
                    "scale_left_on",
                    "scale_left_before_entry",
                    left=left_on.isoformat(),
                    entered=match["entered_on"].isoformat(),
                )
        entered_on = match["entered_on"]
    else:
        match = next((period for period in periods if period["entered_on"] == entered_on), None)
    if match is not None and (left_on is None or match["left_on"] == left_on):
        return {
            "kind": "unchanged",
            "period_id": match["id"],
            "entered_on": match["entered_on"],
            "left_on": match["left_on"],
            "before": match["left_on"],
        }, []
    for other in periods:
        if other is not match and entered_on <= (other["left_on"] or FAR) and other["entered_on"] <= (left_on or FAR):
            key = "scale_entered_on" if match is None else "scale_left_on"
            if other["left_on"] is None:
                return error(key, "scale_period_overlap_open", start=other["entered_on"].isoformat())
            return error(
                key, "scale_period_overlap", start=other["entered_on"].isoformat(), end=other["left_on"].isoformat()
            )
    return {
        "kind": "new" if match is None else "closed",
        "period_id": match["id"] if match else None,
        "entered_on": entered_on,
        "left_on": left_on,
        "before": match["left_on"] if match else None,
    }, []


def apply_flag(plan: RowPlan, change: dict[str, Any], periods: list[dict[str, Any]]) -> None:
    """是否规上 follows the periods after this change (an open one, or one left after today), unless the file says."""
    if plan.scale.get("file_flag"):
        return
    today = timezone.localdate()
    ends = {period["id"]: period["left_on"] for period in periods}
    if change["period_id"] is not None:
        ends[change["period_id"]] = change["left_on"]
    else:
        ends[None] = change["left_on"]
    plan.enterprise["is_above_scale"] = any(end is None or end > today for end in ends.values())


def report(change: dict[str, Any]) -> dict[str, Any]:
    """The dry run's line for the row: a message code and its dates."""
    params = {
        "entered": change["entered_on"].isoformat(),
        "left": change["left_on"].isoformat() if change["left_on"] else "",
    }
    if change["kind"] == "new":
        code = "scale_period_new_closed" if change["left_on"] else "scale_period_new"
    elif change["kind"] == "closed":
        code = "scale_period_closed"
    else:
        code = "scale_period_unchanged_closed" if change["left_on"] else "scale_period_unchanged"
    return {"code": code, "params": params}


def _audit(actor: User | None, action: str, rows: list[tuple[int, str, dict]], region_of: dict[int, int]) -> None:
    from enterprises.roster.committer import audit_rows

    audit_rows(
        actor=actor,
        action=action,
        model=AboveScalePeriod,
        rows=rows,
        region_ids=[region_of[pk] for pk, _text, _changes in rows],
    )


def write_periods(outcomes: list, actor: User | None) -> list[int]:
    """Insert the new periods and close the others in a fixed number of statements; audited. The new periods' ids."""
    from enterprises.roster.committer import _name, _region_id

    new = [outcome for outcome in outcomes if outcome.scale_change and outcome.scale_change["kind"] == "new"]
    closed = [outcome for outcome in outcomes if outcome.scale_change and outcome.scale_change["kind"] == "closed"]
    new_ids: list[int] = []
    if new:
        insert_rows(
            AboveScalePeriod,
            rows=[
                {
                    "enterprise_id": outcome.enterprise_id,
                    "entered_on": outcome.scale_change["entered_on"],
                    "left_on": outcome.scale_change["left_on"],
                }
                for outcome in new
            ],
        )
        ids = {
            (enterprise_id, entered_on): pk
            for enterprise_id, entered_on, pk in AboveScalePeriod.objects.filter(
                enterprise_id__in=[outcome.enterprise_id for outcome in new],
                entered_on__in={outcome.scale_change["entered_on"] for outcome in new},
            ).values_list("enterprise_id", "entered_on", "pk")
        }
        audit = []
        region_of = {}
        for outcome in new:
            change = outcome.scale_change
            pk = ids[(outcome.enterprise_id, change["entered_on"])]
            change["period_id"] = pk
            new_ids.append(pk)
            region_of[pk] = _region_id(outcome)
            changes = {"entered_on": [None, change["entered_on"].isoformat()]}
            if change["left_on"]:
                changes["left_on"] = [None, change["left_on"].isoformat()]
            audit.append((pk, _text(_name(outcome), change), changes))
        _audit(actor, AuditEvent.Action.CREATE, audit, region_of)
    if closed:
        update_from_values(
            AboveScalePeriod,
            fields=["left_on"],
            rows=[(outcome.scale_change["period_id"], outcome.scale_change["left_on"]) for outcome in closed],
        )
        _audit(
            actor,
            AuditEvent.Action.UPDATE,
            [
                (
                    outcome.scale_change["period_id"],
                    _text(_name(outcome), outcome.scale_change),
                    {
                        "left_on": [
                            outcome.scale_change["before"].isoformat() if outcome.scale_change["before"] else None,
                            outcome.scale_change["left_on"].isoformat() if outcome.scale_change["left_on"] else None,
                        ]
                    },
                )
                for outcome in closed
            ],
            {outcome.scale_change["period_id"]: _region_id(outcome) for outcome in closed},
        )
    return new_ids


def _text(name: str, change: dict[str, Any]) -> str:
    """As str(AboveScalePeriod): the enterprise and the period's dates."""
    return f"{name} {change['entered_on']}–{change['left_on'] or ''}"


def fire_entered_hooks(period_ids: list[int]) -> None:
    """What record_above_scale_period does for each new period: its hooks after the commit."""
    for period_id in period_ids:
        for hook in scale_periods.ABOVE_SCALE_ENTERED_HOOKS:
            transaction.on_commit(lambda hook=hook, period_id=period_id: hook(period_id))
