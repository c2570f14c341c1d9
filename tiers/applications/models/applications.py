"""Applications (申报): the application and its states, the append-only review actions, and the evidence
attached to it.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiers.applications.models.chains import Batch, ReviewStep


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    RECOMMENDED = "recommended", _("Recommended, awaiting decision")
    GRANTED = "granted", _("Granted")
    NOT_GRANTED = "not_granted", _("Not granted")


# An enterprise may apply again for the same batch only after one of these.
CLOSED_UNSUCCESSFUL = (ApplicationState.REJECTED, ApplicationState.NOT_GRANTED)


class Application(models.Model):
    """One enterprise asking for one tier in one batch, and where it stands in the review chain."""

    class Kind(models.TextChoices):
        NEW = "new", _("New application")
        RE_REVIEW = "re_review", _("Re-review (复核)")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="applications", verbose_name=_("enterprise")
    )
    tier = models.ForeignKey(
        "tiers.Tier", on_delete=models.PROTECT, related_name="applications", verbose_name=_("tier")
    )
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="applications", verbose_name=_("batch"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    region = models.ForeignKey(
        "portal.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The enterprise's region when the application was created; scopes who sees it."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    current_step = models.ForeignKey(
        ReviewStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("current step")
    )
    reviewing_region = models.ForeignKey(
        "portal.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by"),
        help_text=_("The region whose staff must act next."),
    )
    returned_from_step = models.ForeignKey(
        ReviewStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("returned from")
    )
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("due"), null=True, blank=True, help_text=_("When the current review step's time limit runs out.")
    )
    statements = models.TextField(_("statements"), blank=True, help_text=_("What the enterprise declares in support."))
    indicator_year = models.PositiveSmallIntegerField(_("indicator year"))
    indicators_snapshot = models.JSONField(_("indicators at submission"), default=dict, blank=True)
    eligibility_snapshot = models.JSONField(_("eligibility at submission"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last submitted by"),
    )
    reviewed_score = models.DecimalField(
        _("score after review"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The computed score with the reviewers' item adjustments, as carried by the recommendation."),
    )
    decision_document_no = models.CharField(_("decision document number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recognition = models.OneToOneField(
        "tiers.Recognition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        verbose_name=_("recognition"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        app_label = "tiers"
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier", "batch"],
                condition=~models.Q(state__in=["rejected", "not_granted"]),
                name="application_one_live_per_batch",
            )
        ]
        indexes = [
            models.Index(fields=["state", "reviewing_region"], name="application_queue_idx"),
            models.Index(fields=["state", "due_at"], name="application_due_idx"),
            models.Index(fields=["region", "state"], name="application_region_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.tier} ({self.batch.name})"

    @property
    def state_label(self) -> str:
        """What the user reads: the step under review, or the state."""
        if self.state == ApplicationState.IN_REVIEW and self.current_step_id:
            return str(self.current_step.label)
        return str(self.get_state_display())

    @property
    def is_editable(self) -> bool:
        return self.state in (ApplicationState.DRAFT, ApplicationState.RETURNED)

    def waiting_days(self, now: datetime.datetime | None = None) -> int:
        if self.waiting_since is None:
            return 0
        return ((now or timezone.now()) - self.waiting_since).days

    @property
    def is_overdue(self) -> bool:
        return bool(self.state == ApplicationState.IN_REVIEW and self.due_at and self.due_at < timezone.now())


class ReviewAction(models.Model):
    """Append-only: one thing that happened to an application, by whom, when, and the state around it.

    `content` is the application's editable content at that moment, so that a
    resubmission can show what changed since it was returned.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        SUBMIT = "submit", _("Submitted")
        PASS = "pass", _("Passed")
        RECOMMEND = "recommend", _("Recommended upward")
        RETURN = "return", _("Returned for changes")
        REJECT = "reject", _("Rejected")
        RESUBMIT = "resubmit", _("Resubmitted")
        GRANT = "grant", _("Granted")
        REFUSE = "refuse", _("Not granted")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="actions", verbose_name=_("application")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    from_state = models.CharField(_("state before"), max_length=60, blank=True)
    to_state = models.CharField(_("state after"), max_length=60, blank=True)
    step = models.ForeignKey(
        ReviewStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("step")
    )
    content = models.JSONField(_("content"), default=dict, blank=True)
    changes = models.JSONField(_("changes since returned"), default=dict, blank=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="review_action_app_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("review actions are append-only")
        super().save(*args, **kwargs)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the user: a random name and the checked type's extension.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """Evidence for an application: a PDF or an image, stored under MEDIA_ROOT (never served directly)."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        DECISION_NOTICE = "decision_notice", _("Decision notice")
        SITE_CHECK = "site_check", _("On-site check record")

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG"
        JPEG = "jpeg", "JPEG"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=4, choices=FileType.choices)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EVIDENCE)
    site_check = models.ForeignKey(
        "tiers.SiteCheck",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("on-site check"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def extension(self) -> str:
        return {"pdf": "pdf", "png": "png", "jpeg": "jpg"}[self.file_type]

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[self.file_type]
