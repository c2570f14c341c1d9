from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskReport(models.Model):
    """One unit's progress report on one measure for one reporting period.

    A supporting unit reports on its own share of the work; the lead unit writes
    the consolidated report (`is_consolidated`) from what the others filed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    measure = models.ForeignKey(
        "tasks.Measure", on_delete=models.CASCADE, related_name="reports", verbose_name=_("measure")
    )
    department = models.ForeignKey(
        "portal.Department", on_delete=models.PROTECT, related_name="task_reports", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("2026-Q3, 2026-H1 or 2026-07"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    is_consolidated = models.BooleanField(_("consolidated report of the lead unit"), default=False)
    narrative = models.TextField(_("progress"))
    figures = models.JSONField(_("figures"), default=list, blank=True, help_text=_('[{"label": …, "value": …}]'))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("updated by")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["measure", "-period_start", "-is_consolidated", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "department", "period"], name="task_report_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.department} · {self.period}"


class ReportAttachment(models.Model):
    """A file attached to a report. Stored under MEDIA_ROOT, served only through a permission-checked view."""

    report = models.ForeignKey(
        TaskReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to="task-reports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.original_name


class LeaderComment(models.Model):
    """A leader's instruction (批示) on a measure; the lead unit is notified and sees it on the task page."""

    measure = models.ForeignKey(
        "tasks.Measure", on_delete=models.CASCADE, related_name="leader_comments", verbose_name=_("measure")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("instruction"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["measure", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure} · {self.author}"
