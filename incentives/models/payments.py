"""Funder shares and payments: the part of an entitlement one funder pays, where its payment stands (ShareStatus),
and the money moved for it, paid or clawed back."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incentives.models.entitlements import Entitlement
from incentives.models.fields import money_field
from incentives.models.rules import FunderLevel


class ShareStatus(models.TextChoices):
    DUE = "due", _("Due")
    APPROVED = "approved", _("Approved")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    ON_HOLD = "on_hold", _("On hold")
    AWAITING_DATA = "awaiting_data", _("Awaiting data")
    CANCELLED = "cancelled", _("Cancelled")
    CLAWBACK_DUE = "clawback_due", _("Clawback pending decision")
    CLAWED_BACK = "clawed_back", _("Clawed back")


class EntitlementShare(models.Model):
    """The part of an entitlement one funder pays, and where its payment stands."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.CASCADE, related_name="shares", verbose_name=_("entitlement")
    )
    funder_region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="funded_shares", verbose_name=_("funder")
    )
    level = models.CharField(_("level"), max_length=10, choices=FunderLevel.choices)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    amount = money_field(_("amount owed"))
    approved_amount = money_field(_("approved"), default=Decimal("0"))
    paid_amount = money_field(_("paid"), default=Decimal("0"))
    clawed_back_amount = money_field(_("clawed back"), default=Decimal("0"))
    status = models.CharField(_("status"), max_length=16, choices=ShareStatus.choices, default=ShareStatus.DUE)
    held_from = models.CharField(_("status before the hold"), max_length=16, choices=ShareStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_presumed = models.BooleanField(_("funder presumed (推定)"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("funder share")
        verbose_name_plural = _("funder shares")
        ordering = ["entitlement", "level"]
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "funder_region"], name="share_unique_funder"),
        ]
        indexes = [models.Index(fields=["funder_region", "budget_year", "status"], name="share_budget_idx")]

    def __str__(self) -> str:
        return f"{self.entitlement} · {self.funder_region.name} {self.amount} 万元"

    @property
    def payer_name(self) -> str:
        return f"{self.funder_region.name}财政"

    @property
    def outstanding(self) -> Decimal:
        if self.status in (ShareStatus.CANCELLED, ShareStatus.CLAWBACK_DUE, ShareStatus.CLAWED_BACK):
            return Decimal("0")
        return self.amount - self.paid_amount

    @property
    def approvable(self) -> Decimal:
        return self.amount - self.approved_amount

    @property
    def payable(self) -> Decimal:
        return self.approved_amount - self.paid_amount


class Payment(models.Model):
    """Money moved for a share: a payment to the beneficiary, or a clawback from it."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CLAWBACK = "clawback", _("Clawback")

    share = models.ForeignKey(EntitlementShare, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    tranche = models.PositiveSmallIntegerField(_("tranche"), default=1)
    amount = money_field(_("amount"))
    paid_on = models.DateField(_("date"))
    voucher_no = models.CharField(_("voucher number"), max_length=100)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["share", "paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["share", "kind", "voucher_no"], name="payment_unique_voucher"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} · {self.amount} 万元"
