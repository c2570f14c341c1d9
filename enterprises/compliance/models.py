"""Compliance records, the per-region record of compliance imports, and the import files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceRecord(models.Model):
    """One dated entry about an enterprise from the credit information system.

    A listing (严重失信主体, 失信被执行人, 经营异常名录) runs from `listed_on` until
    `removed_on` (empty: still listed); a penalty (行政处罚) is dated by its decision
    (`listed_on`) and has a category and a severity.
    """

    class Kind(models.TextChoices):
        SERIOUS_DISHONEST = "serious_dishonest", _("Seriously dishonest entity")
        JUDGMENT_DEFAULTER = "judgment_defaulter", _("Dishonest judgment debtor")
        ABNORMAL_OPERATION = "abnormal_operation", _("List of abnormal operations")
        PENALTY = "penalty", _("Administrative penalty")

    class Category(models.TextChoices):
        SAFETY = "safety", _("Safety")
        QUALITY = "quality", _("Quality")
        ENVIRONMENT = "environment", _("Environment")
        TAX = "tax", _("Tax")
        CYBER_DATA = "cyber_data", _("Cyber and data security")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by staff")
        IMPORT = "import", _("Imported")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="compliance_records",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("record type"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("penalty category"), max_length=12, choices=Category.choices, blank=True)
    is_major = models.BooleanField(_("major (重大)"), default=False)
    listed_on = models.DateField(_("listed or decided on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    authority = models.CharField(_("deciding authority"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    compliance_import = models.ForeignKey(
        "enterprises.ComplianceImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        verbose_name=_("compliance import"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("compliance record")
        verbose_name_plural = _("compliance records")
        ordering = ["enterprise", "-listed_on", "-pk"]
        indexes = [models.Index(fields=["enterprise", "listed_on"], name="compliance_enterprise_date_idx")]

    def __str__(self) -> str:
        parts = [str(self.get_kind_display())]
        if self.kind == self.Kind.PENALTY and self.category:
            parts.append(str(self.get_category_display()) + ("·" + str(_("major")) if self.is_major else ""))
        parts.append(self.listed_on.isoformat())
        if self.document_number:
            parts.append(self.document_number)
        return " ".join(parts)

    @property
    def is_listing(self) -> bool:
        return self.kind != self.Kind.PENALTY


class ComplianceCoverage(models.Model):
    """The register holds the compliance data of this region (and the regions below it) as of an import."""

    region = models.OneToOneField(
        "portal.Region", on_delete=models.CASCADE, related_name="compliance_coverage", verbose_name=_("region")
    )
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compliance_import = models.ForeignKey(
        "enterprises.ComplianceImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("compliance data coverage")
        verbose_name_plural = _("compliance data coverage")

    def __str__(self) -> str:
        return f"{self.region} {self.imported_at:%Y-%m-%d}"


def compliance_upload_path(instance: "ComplianceImport", filename: str) -> str:
    # The stored name never comes from the user: only the hash and a known extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if extension not in ("xlsx", "xls", "csv"):
        extension = "bin"
    return f"compliance/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class ComplianceImport(models.Model):
    """One credit-information export an administrator brought in for a region: file, dry run, commit."""

    class Status(models.TextChoices):
        ANALYSED = "analysed", _("Ready to commit")
        REFUSED = "refused", _("Refused")
        COMMITTING = "committing", _("Committing")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    region = models.ForeignKey(
        "portal.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region covered"),
        help_text=_("The region whose complete compliance data the file holds."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to=compliance_upload_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ANALYSED)
    error = models.CharField(_("refusal"), max_length=500, blank=True)
    report = models.JSONField(_("dry-run report"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new records"), default=0)
    updated_count = models.PositiveIntegerField(_("updated records"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    job = models.ForeignKey(
        "portal.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("job")
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compliance import")
        verbose_name_plural = _("compliance imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def can_be_committed(self) -> bool:
        """All or nothing: a file with a rejected row is fixed and uploaded again, never half applied."""
        return self.status == self.Status.ANALYSED and self.rejected_count == 0
