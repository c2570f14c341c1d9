"""Applications (申报), their review chain, publicity (公示) and objections.

Loaded into the `tiers` app by one import line at the end of tiers/models.py.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "Application",
    "ApplicationState",
    "Attachment",
    "Batch",
    "Objection",
    "PublicityList",
    "ReviewAction",
    "ReviewChain",
    "ReviewLevel",
    "ReviewStep",
]


class ReviewLevel(models.TextChoices):
    """The level of government that reviews a step. Parks act like counties."""

    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")


class Batch(models.Model):
    """A year's call for applications to one tier (批次), open between two dates."""

    tier = models.ForeignKey("tiers.Tier", on_delete=models.PROTECT, related_name="batches", verbose_name=_("tier"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    region = models.ForeignKey(
        "portal.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened for region"),
        help_text=_("The city or province whose responsible department runs the batch; empty for a national call."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-year", "tier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "year", "name", "region"], name="batch_unique_name_in_region"),
            models.UniqueConstraint(
                fields=["tier", "year", "name"], condition=models.Q(region__isnull=True), name="batch_unique_national"
            ),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="batch_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} · {self.name}"

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class ReviewChain(models.Model):
    """How one tier's applications are reviewed: ordered steps, then a decision at `decision_level`.

    A 市级 tier ends at the city (the city decides); a national or provincial
    tier passes county and city and is then recommended upward.
    """

    tier = models.OneToOneField(
        "tiers.Tier", on_delete=models.CASCADE, related_name="review_chain", verbose_name=_("tier")
    )
    decision_level = models.CharField(
        _("decided at"),
        max_length=10,
        choices=ReviewLevel.choices,
        help_text=_("Staff of the responsible department of this level record the final grant or refusal."),
    )
    requires_publicity = models.BooleanField(
        _("publicity required before the grant"),
        default=False,
        help_text=_("The grant is refused until a publicity (公示) period including the application has ended."),
    )
    separates_duties = models.BooleanField(
        _("separation of duties"),
        default=True,
        help_text=_("Whoever entered or submitted an application cannot act on its review steps."),
    )

    class Meta:
        app_label = "tiers"
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")

    def __str__(self) -> str:
        return str(self.tier)


class ReviewStep(models.Model):
    chain = models.ForeignKey(ReviewChain, on_delete=models.CASCADE, related_name="steps", verbose_name=_("chain"))
    position = models.PositiveSmallIntegerField(_("position"))
    level = models.CharField(_("reviewed at"), max_length=10, choices=ReviewLevel.choices)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"), default=10)
    requires_site_check = models.BooleanField(
        _("on-site check required"),
        default=False,
        help_text=_("The step cannot be passed or recommended before an on-site check (实地核查) is recorded for it."),
    )

    class Meta:
        app_label = "tiers"
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="review_step_unique_position"),
            models.UniqueConstraint(fields=["chain", "level"], name="review_step_unique_level"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        return REVIEW_STEP_LABELS[self.level]


REVIEW_STEP_LABELS = {
    ReviewLevel.COUNTY: _("County review"),
    ReviewLevel.CITY: _("City review"),
    ReviewLevel.PROVINCE: _("Provincial review"),
}


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


class PublicityList(models.Model):
    """A 公示 list: applications made public between two dates so that objections can be raised."""

    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("published by region")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    applications = models.ManyToManyField(
        Application, related_name="publicity_lists", blank=True, verbose_name=_("applications")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "tiers"
        verbose_name = _("publicity list")
        verbose_name_plural = _("publicity lists")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="publicity_dates_order")
        ]

    def __str__(self) -> str:
        return self.title

    def has_ended_by(self, day: datetime.date) -> bool:
        return day > self.ends_on


class Objection(models.Model):
    """An objection received during publicity, recorded against one application."""

    class Status(models.TextChoices):
        # "Open" alone is also a button ("查看"); here it is the state of an objection.
        OPEN = "open", pgettext_lazy("objection status", "Open")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    publicity_list = models.ForeignKey(
        PublicityList, on_delete=models.CASCADE, related_name="objections", verbose_name=_("publicity list")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections", verbose_name=_("application")
    )
    received_on = models.DateField(_("received on"))
    objector = models.CharField(_("raised by"), max_length=100, blank=True)
    text = models.TextField(_("objection"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        app_label = "tiers"
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.text[:40]}"


from tiers.applications.review_models import *  # noqa: E402, F403
