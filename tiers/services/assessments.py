"""Manual assessments: staff confirm (or deny) a fact the register cannot compute, with the evidence they saw."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from portal.audit import record_creation, update_audited
from portal.exceptions import ServiceError
from portal.models import User
from tiers.models import ManualAssessment
from tiers.services.recompute import mark_for_recompute

ASSESSMENT_FIELDS = ("is_met", "value", "evidence", "valid_until")


@transaction.atomic
def record_manual_assessment(
    *,
    actor: User,
    enterprise: Enterprise,
    key: str,
    evidence: str,
    is_met: bool | None = None,
    value: Decimal | None = None,
    valid_until: datetime.date | None = None,
) -> ManualAssessment:
    """Staff confirm (or deny) a fact the register cannot compute, with the evidence they saw."""
    if not evidence.strip():
        raise ServiceError(_("Describe the evidence for this judgement."), code="evidence")
    if is_met is None and value is None:
        raise ServiceError(_("Say whether the condition is met, or enter the value."), code="is_met")
    assessment = ManualAssessment.objects.select_for_update().filter(enterprise=enterprise, key=key).first()
    values = {
        "is_met": is_met,
        "value": value,
        "evidence": evidence.strip(),
        "valid_until": valid_until,
        "assessed_by": actor,
        "assessed_at": timezone.now(),
    }
    if assessment is None:
        assessment = ManualAssessment.objects.create(enterprise=enterprise, key=key, **values)
        record_creation(assessment, actor=actor, fields=ASSESSMENT_FIELDS, region=enterprise.region)
    else:
        # Confirming the same judgement again is recorded too: it renews who assessed it and when.
        update_audited(
            assessment,
            actor=actor,
            values=values,
            fields=ASSESSMENT_FIELDS,
            region=enterprise.region,
            save_unchanged=True,
        )
    mark_for_recompute(enterprise_ids=[enterprise.pk])
    return assessment
