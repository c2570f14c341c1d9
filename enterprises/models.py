from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises import industries

# 数字化水平等级 runs from 1 to 4.
DIGITAL_LEVELS = (1, 4)


class Enterprise(models.Model):
    """An enterprise of the register, keyed by its 统一社会信用代码."""

    class SizeClass(models.TextChoices):
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    is_credit_code_flagged = models.BooleanField(
        _("check character mismatch"),
        default=False,
        help_text=_("The code is well formed but its check character does not match; kept for review."),
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("region")
    )
    industry_code = models.CharField(_("industry (GB/T 4754)"), max_length=5, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices, blank=True)
    is_listed = models.BooleanField(_("listed company"), default=False)
    is_above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    main_products = models.CharField(_("main products"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    service_commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_enterprises",
        verbose_name=_("service commissioner"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["region", "name"], name="enterprise_region_name_idx"),
            # The list's order with the scope's column: a page of ids in list order is read
            # from this index alone, without sorting the scope's full rows (portal.selectors.Listing).
            models.Index(fields=["name", "id", "region"], name="enterprise_name_id_region_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manufacturing(self) -> bool:
        return industries.is_manufacturing(self.industry_code)

    @property
    def industry_section_name(self) -> str:
        return industries.section_name(self.industry_code)


# An enterprise's master data, in the order the register's form shows it. The form, the API, the roster
# import, the admin's spreadsheet, the list and the audit trail all read their fields from here.
ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "region",
    "industry_code",
    "registered_on",
    "size_class",
    "is_above_scale",
    "is_listed",
    "main_products",
    "contact_name",
    "contact_phone",
    "service_commissioner",
)


class IndicatorSource(models.TextChoices):
    ROSTER = "roster", _("Roster import")
    MANUAL = "manual", _("Manual entry")
    APPLICATION = "application", _("Application")


def money_field(label: str, *, can_be_negative: bool = False) -> models.DecimalField:
    # Only a profit can be a loss; a negative revenue or R&D expense is a typing error, refused with the field named.
    validators = [] if can_be_negative else [MinValueValidator(0)]
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("万元"), validators=validators
    )


def count_field(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class AnnualIndicator(models.Model):
    """One enterprise's figures for one fiscal year. Money is in 万元.

    `sources` records, per field, where the figure came from and who entered it:
    {"rd_expense": {"source": "manual", "by": 7, "at": "2026-03-01T10:00:00+08:00"}}.
    """

    MONEY_FIELDS = (
        "operating_revenue",
        "main_business_revenue",
        "rd_expense",
        "total_assets",
        "total_liabilities",
        "net_profit",
        "high_tech_product_revenue",
        "main_product_revenue",
        "equity_financing",
        "tax_paid",
    )
    COUNT_FIELDS = (
        "employees",
        "rd_staff",
        "tech_staff",
        "ip_class1_count",
        "ip_class2_count",
        "invention_patents",
        "high_value_patents",
    )

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    operating_revenue = money_field(_("operating revenue"))
    main_business_revenue = money_field(_("main business revenue"))
    rd_expense = money_field(_("R&D expense"))
    total_assets = money_field(_("total assets"))
    total_liabilities = money_field(_("total liabilities"))
    net_profit = money_field(_("net profit"), can_be_negative=True)
    high_tech_product_revenue = money_field(_("high-tech product revenue"))
    main_product_revenue = money_field(_("main product revenue"))
    equity_financing = money_field(_("equity financing"))
    tax_paid = money_field(_("total tax paid"))
    employees = count_field(_("employees"))
    rd_staff = count_field(_("R&D staff"))
    tech_staff = count_field(_("science and technology staff"))
    ip_class1_count = count_field(_("class I intellectual property"))
    ip_class2_count = count_field(_("class II intellectual property"))
    invention_patents = count_field(_("invention patents"))
    high_value_patents = count_field(_("high-value invention patents"))
    digital_level = models.PositiveSmallIntegerField(
        _("digitalisation level"),
        null=True,
        blank=True,
        help_text=_("数字化水平等级: 1–4"),
        # The same range as the check constraint below, so that forms and the API refuse it with a message.
        validators=[MinValueValidator(DIGITAL_LEVELS[0]), MaxValueValidator(DIGITAL_LEVELS[1])],
    )
    sources = models.JSONField(_("sources"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual indicator")
        verbose_name_plural = _("annual indicators")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="indicator_unique_enterprise_year"),
            models.CheckConstraint(
                condition=models.Q(digital_level__isnull=True)
                | models.Q(digital_level__gte=DIGITAL_LEVELS[0], digital_level__lte=DIGITAL_LEVELS[1]),
                name="indicator_digital_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @classmethod
    def value_fields(cls) -> tuple[str, ...]:
        return cls.MONEY_FIELDS + cls.COUNT_FIELDS + ("digital_level",)


def roster_upload_path(instance: "RosterImport", filename: str) -> str:
    # The stored name never comes from the user: only the hash and a known extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if extension not in ("xlsx", "xls", "csv"):
        extension = "bin"
    return f"rosters/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class RosterImport(models.Model):
    """One Excel roster an administrator brought in: the file, its dry run and its commit.

    `report` holds the dry run: the detected header mapping, the title's tier and
    batch, file-level warnings and, per data row, the action with its values,
    changes or errors. Messages are stored as codes with parameters and rendered
    in the reader's language.
    """

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("Analysing")
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
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The importing administrator's region; empty for the whole country."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to=roster_upload_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ANALYSING)
    error = models.JSONField(_("refusal"), default=dict, blank=True, help_text=_("Message code and parameters."))
    report = models.JSONField(_("dry-run report"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    recognition_count = models.PositiveIntegerField(_("recognitions created"), default=0)
    job = models.ForeignKey(
        "portal.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("job")
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("committed by"),
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def can_be_committed(self) -> bool:
        return self.status == self.Status.ANALYSED and (self.created_count + self.updated_count) > 0

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.ANALYSING, self.Status.COMMITTING)


class RosterImportRow(models.Model):
    """One data row of a roster's dry run: what committing would do with it, and why.

    The report is a table, not one document, so a page of 50 rows is read by an
    index whatever the file's size, and the commit streams the accepted rows.
    `detail` holds the row's errors, warnings and changes (message codes with
    parameters), the recognition it brings, the parsed values the commit writes
    (`plan`) and, for a rejected row, the cells as the file had them (`raw`).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        UNCHANGED = "unchanged", _("Unchanged")
        REJECT = "reject", _("Rejected")

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.CASCADE, related_name="report_rows", verbose_name=_("roster import")
    )
    row = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("result"), max_length=10, choices=Action.choices)
    has_warnings = models.BooleanField(_("has warnings"), default=False)
    # Dense numbers (1, 2, 3 …) in sheet order: among all rows, among the rows of the same
    # action, among the rows with warnings. A page is a range of one of them, read by index
    # whatever page is opened (no OFFSET walking the rows before it).
    position = models.PositiveIntegerField(_("position"))
    action_position = models.PositiveIntegerField(_("position among the same result"))
    warning_position = models.PositiveIntegerField(_("position among rows with warnings"), null=True, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roster row")
        verbose_name_plural = _("roster rows")
        ordering = ["roster_import", "position"]
        constraints = [models.UniqueConstraint(fields=["roster_import", "position"], name="roster_row_unique")]
        indexes = [
            models.Index(fields=["roster_import", "action", "action_position"], name="roster_row_action_idx"),
            # Few rows carry warnings: a partial index is small and costs the other rows nothing.
            models.Index(
                fields=["roster_import", "warning_position"],
                condition=models.Q(warning_position__isnull=False),
                name="roster_row_warning_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.roster_import_id}:{self.row}"


# ── 规上 history (issue 15): when an enterprise entered the above-size statistics and when it left (退库) ──


class AboveScalePeriod(models.Model):
    """One stretch during which the enterprise was counted 规上: entered on a date, left (退库) on another or not yet.

    Rewards read this history: 西宁's 升规 reward excludes "已退库再次入库企业",
    whatever date the earlier period has.
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="above_scale_periods", verbose_name=_("enterprise")
    )
    entered_on = models.DateField(_("entered above-size statistics on"))
    left_on = models.DateField(_("left (退库) on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("above-size period")
        verbose_name_plural = _("above-size periods")
        ordering = ["enterprise", "entered_on"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "entered_on"], name="above_scale_period_unique_entry"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("entered_on")),
                name="above_scale_period_left_after_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.entered_on}–{self.left_on or ''}"


# Compliance records live in their own module (enterprises/compliance); Django finds models through this one.
from enterprises.compliance.models import ComplianceCoverage, ComplianceImport, ComplianceRecord  # noqa: E402,F401
