"""The deciding level's decision on a recommended application: granting it (认定), which creates the
recognition once any required publicity (公示) has ended with every objection resolved, or refusing it, with
the decision's document and notice.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import ServiceError
from portal.models import User
from tiers.applications.models import Application, Attachment, Objection, ReviewLevel
from tiers.applications.services.applications import lock_application, store_attachment
from tiers.applications.services.chains import ensure_review_chain
from tiers.applications.services.moves import A, _check_actor, _check_state, _commit, _move, _require_comment
from tiers.models import Recognition
from tiers.services import grant_recognition


def publicity_refusal(application: Application, today: datetime.date) -> str | None:
    """Why the grant cannot become final yet because of publicity (公示), or None.

    Where the tier's chain requires publicity, the application must have been on a list whose period has ended.
    """
    chain = ensure_review_chain(tier=application.tier)
    lists = list(application.publicity_lists.all())
    if chain.requires_publicity and not any(publicity.has_ended_by(today) for publicity in lists):
        return _(
            "%(tier)s is granted only after publicity (公示): put the application on a publicity list "
            "and record the decision after the period has ended."
        ) % {"tier": application.tier.name}
    for publicity in lists:
        if today < publicity.starts_on or not publicity.has_ended_by(today):
            return _(
                "The publicity period “%(title)s” runs until %(end)s; the grant can become final after it ends."
            ) % {
                "title": publicity.title,
                "end": publicity.ends_on,
            }
    statuses = list(application.objections.values_list("status", flat=True))
    open_count = statuses.count(Objection.Status.OPEN)
    if open_count:
        return _("%(count)s objection(s) raised during publicity are still open; resolve them before granting.") % {
            "count": open_count
        }
    if Objection.Status.UPHELD in statuses:
        return _("An objection against this application was upheld; it cannot be granted.")
    return None


def _decision_record(
    application: Application, *, document_no: str, notice: UploadedFile | None, actor: User | None
) -> str:
    """The document of a decision taken above the recording city: its number is required, the notice kept."""
    document_no = (document_no or "").strip()
    chain = ensure_review_chain(tier=application.tier)
    if chain.decision_level == ReviewLevel.PROVINCE and not document_no:
        raise ServiceError(
            _("Please give the number of the document that announced the decision (认定文件文号)."), code="document_no"
        )
    _keep_notice(application, notice=notice, actor=actor)
    return document_no


def _keep_notice(application: Application, *, notice: UploadedFile | None, actor: User | None) -> None:
    if notice is not None:
        store_attachment(
            actor=actor,
            application=application,
            upload=notice,
            description=str(_("Decision notice")),
            kind=Attachment.Kind.DECISION_NOTICE,
        )


@transaction.atomic
def grant_application(
    *,
    actor: User,
    application: Application,
    recognized_on: datetime.date | None = None,
    certificate_no: str = "",
    comment: str = "",
    document_no: str = "",
    notice: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Application:
    """Record the grant (认定): after any required publicity ended with every objection resolved, create the recognition.

    A provincial or national decision is recorded with the number of its document, its date and the notice.
    """
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.GRANT)
    _check_actor(actor, locked)
    today = timezone.localdate()
    refusal = publicity_refusal(locked, today)
    if refusal:
        raise ServiceError(refusal, code="publicity")
    locked.decision_document_no = _decision_record(locked, document_no=document_no, notice=notice, actor=actor)
    recognition, _created = grant_recognition(
        actor=actor,
        enterprise=locked.enterprise,
        tier=locked.tier,
        recognized_on=recognized_on or today,
        batch=locked.batch.name,
        certificate_no=certificate_no.strip(),
        source=Recognition.Source.APPLICATION,
    )
    before = locked.state_label
    _move(locked, state=transition.fixed_target())
    locked.decided_on = recognized_on or today
    locked.recognition = recognition
    _commit(
        actor=actor,
        application=locked,
        action=A.GRANT,
        before_label=before,
        step=None,
        comment=comment.strip(),
        extra_fields=("decided_on", "recognition", "decision_document_no"),
    )
    return locked


@transaction.atomic
def refuse_application(
    *,
    actor: User,
    application: Application,
    comment: str,
    decided_on: datetime.date | None = None,
    document_no: str = "",
    notice: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Application:
    """Record that the deciding level did not grant the tier (未获认定), with the reason and, if any, the notice."""
    comment = _require_comment(A.REFUSE, comment)
    locked = lock_application(application, expected_version)
    transition = _check_state(locked, A.REFUSE)
    _check_actor(actor, locked)
    before = locked.state_label
    _move(locked, state=transition.fixed_target())
    locked.decision_document_no = (document_no or "").strip()
    _keep_notice(locked, notice=notice, actor=actor)
    locked.decided_on = decided_on or timezone.localdate()
    _commit(
        actor=actor,
        application=locked,
        action=A.REFUSE,
        before_label=before,
        step=None,
        comment=comment,
        extra_fields=("decided_on", "decision_document_no"),
    )
    return locked
