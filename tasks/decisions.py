"""Writes: the decisions an administrator makes on contradictions and on what the loader inferred (audited),
and the nightly record of every target's figure.

Re-exported by tasks.services, the app's one door for writes.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import User
from tasks.figures import target_figures
from tasks.models import Inference, Measure, MeasureUnit, Policy, Target, TargetConflict, TargetResult
from tasks.policies.inferences import apply_value

REASON_MAX = 500


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ConcurrentEditError(_("Someone else decided this in the meantime. Reload the page and try again."))


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Reason: please say why, for the record."), code="reason")
    return reason[:REASON_MAX]


@transaction.atomic
def resolve_target_conflict(
    *,
    actor: User,
    conflict: TargetConflict,
    chosen: Target | None,
    reason: str,
    expected_version: int | None = None,
) -> TargetConflict:
    """Adopt one of two contradicting figures (`chosen`), or keep both as 待确认 (`chosen=None`), with a reason.

    Until then both targets show 待确认; after adopting one, the other shows 未采用.
    """
    conflict = (
        TargetConflict.objects.select_for_update().select_related("first", "second", "policy").get(pk=conflict.pk)
    )
    _check_version(conflict, expected_version)
    reason = _clean_reason(reason)
    if chosen is not None and chosen.pk not in (conflict.first_id, conflict.second_id):
        raise ServiceError(_("Adopted figure: choose one of the two contradicting statements."), code="chosen")
    before = {
        "state": conflict.state,
        "chosen": conflict.chosen.key if conflict.chosen_id else None,
        "reason": conflict.reason,
    }
    state = TargetConflict.State.CHOSEN if chosen is not None else TargetConflict.State.KEPT_BOTH
    after = {"state": state, "chosen": chosen.key if chosen else None, "reason": reason}
    update_audited(
        conflict,
        actor=actor,
        values={"state": state, "chosen": chosen, "reason": reason, "decided_by": actor, "decided_at": timezone.now()},
        changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
        region=conflict.policy.region,
    )
    return conflict


def _parse_value(inference: Inference, value):
    """The value an administrator typed, checked for the kind of inference; errors name the field."""
    if inference.field == "lead_unit":
        measure = inference.subject
        ids = set(MeasureUnit.objects.filter(measure=measure).values_list("department_id", flat=True))
        try:
            department_id = int(value)
        except (TypeError, ValueError):
            department_id = None
        if department_id not in ids:
            raise ServiceError(_("Lead unit: choose one of the task's responsible units."), code="value")
        return department_id
    if inference.field == "baseline":
        try:
            baseline = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise ServiceError(_("Baseline: enter a number, e.g. 55."), code="value") from None
        if baseline < 0:
            raise ServiceError(_("Baseline: it cannot be negative."), code="value")
        return format(baseline.normalize(), "f")
    if inference.field == "plan_period":
        try:
            start, end = (datetime.date.fromisoformat(str(day)) for day in value)
        except (TypeError, ValueError):
            raise ServiceError(_("Plan period: enter two dates, start and end."), code="value") from None
        if end < start:
            raise ServiceError(_("Plan period: the end comes before the start."), code="value")
        return [start.isoformat(), end.isoformat()]
    raise ServiceError(_("This inference cannot be changed here."), code="value")


def _region_of(subject):
    if isinstance(subject, Policy):
        return subject.region
    if isinstance(subject, Measure | Target):
        return subject.policy.region
    return None


@transaction.atomic
def decide_inference(
    *,
    actor: User,
    inference: Inference,
    value=None,
    reason: str = "",
    expected_version: int | None = None,
) -> Inference:
    """Confirm what the loader inferred (`value` None or equal), or replace it; either way it is no longer 推定.

    The decided value is applied to its object at once and kept by every later reload of the documents.
    """
    inference = Inference.objects.select_for_update().get(pk=inference.pk)
    _check_version(inference, expected_version)
    reason = _clean_reason(reason)
    subject = inference.subject
    before = {"state": inference.state, "value": inference.value}
    if value is not None and value != "":
        value = _parse_value(inference, value)
    if value is None or value == "" or value == inference.value:
        inference.state = Inference.State.CONFIRMED
    else:
        inference.state = Inference.State.CHANGED
        inference.value = value
        apply_value(subject, inference.field, value)
    update_audited(
        inference,
        actor=actor,
        values={"reason": reason, "decided_by": actor, "decided_at": timezone.now()},
        changes={
            "state": [before["state"], inference.state],
            "value": [before["value"], inference.value],
            "reason": ["", reason],
        },
        region=_region_of(subject),
        note=f"{subject}"[:255],
    )
    return inference


@transaction.atomic
def record_target_results(*, on: datetime.date) -> int:
    """Every target's figure on `on`, from tasks.figures (the definition the pages use), stored once per day.

    Set-based: one measurement of all targets, one delete and one bulk insert; rerunning the day rewrites it.
    """
    targets = list(Target.objects.select_related("region", "policy", "measure").prefetch_related("tiers"))
    figures = target_figures(targets, as_of=on)
    TargetResult.objects.filter(on=on).delete()
    TargetResult.objects.bulk_create(
        [
            TargetResult(
                target_id=pk,
                on=on,
                basis=figure.basis,
                current=figure.current,
                status=figure.status,
                is_final=figure.final,
                years=[
                    {"year": y.year, "current": str(y.current), "status": y.status, "final": y.final}
                    for y in figure.years
                ],
                reason=figure.reason[:500],
            )
            for pk, figure in figures.items()
        ]
    )
    return len(figures)
