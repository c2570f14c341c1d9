from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from incentives.models import RewardRule, Trigger
from portal.models import Region

MONEY = {"max_digits": 14, "decimal_places": 2}
# ISO, whatever the language: an <input type=date> accepts nothing else.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class VersionedForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ApproveForm(VersionedForm):
    decided_amount = forms.DecimalField(
        label=_("Decided amount (万元)"),
        required=False,
        min_value=0,
        help_text=_("Only under a “不高于” cap, and only at the first approval; empty keeps the amount owed."),
        **MONEY,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    condition = forms.CharField(
        label=_("Condition met (for a later tranche)"),
        required=False,
        max_length=300,
        help_text=_("e.g. 2025年绩效评价合格; required to release the second and later tranches."),
    )


class PaymentForm(VersionedForm):
    amount = forms.DecimalField(label=_("Amount paid (万元)"), min_value=0, **MONEY)
    paid_on = forms.DateField(label=_("Payment date"), initial=timezone.localdate, widget=DATE_WIDGET)
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=100)


class ClawbackForm(VersionedForm):
    amount = forms.DecimalField(label=_("Amount returned (万元)"), min_value=0, **MONEY)
    paid_on = forms.DateField(label=_("Date returned"), initial=timezone.localdate, widget=DATE_WIDGET)
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=100)
    reason = forms.CharField(label=_("Reason for the clawback"), max_length=500)


class HoldForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReleaseForm(VersionedForm):
    pass


class RewardEventForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[
            (Trigger.ABOVE_SCALE, Trigger.ABOVE_SCALE.label),
            (Trigger.TOP_LIST, Trigger.TOP_LIST.label),
            (Trigger.PLATFORM_AWARD, Trigger.PLATFORM_AWARD.label),
            (Trigger.PROJECT_SHARE, Trigger.PROJECT_SHARE.label),
            (Trigger.OTHER_EVENT, Trigger.OTHER_EVENT.label),
        ],
    )
    event_code = forms.ChoiceField(label=_("Which list or award"), required=False)
    credit_code = forms.CharField(label=_("Enterprise (unified social credit code)"), required=False, max_length=18)
    region = forms.ModelChoiceField(label=_("Or the region (a park)"), queryset=Region.objects.none(), required=False)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    base_amount = forms.DecimalField(
        label=_("Project investment (万元)"), required=False, min_value=0, help_text=_("For a project reward."), **MONEY
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=200)

    def __init__(self, *args, enterprises, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        self.fields["region"].queryset = regions
        codes = (
            RewardRule.objects.exclude(event_code="")
            .order_by("event_code")
            .values_list("event_code", "name")
            .distinct()
        )
        self.fields["event_code"].choices = [("", "—"), *codes]

    def clean_credit_code(self) -> Enterprise | None:
        code = self.cleaned_data["credit_code"].strip().upper()
        if not code:
            return None
        enterprise = self.enterprises.filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise with this credit code in your region."))
        return enterprise


class AllocationForm(VersionedForm):
    funder_region = forms.ModelChoiceField(label=_("Funder"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Allocated (万元)"), min_value=0, **MONEY)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, funders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder_region"].queryset = funders
        if funders.count() == 1:
            self.fields["funder_region"].initial = funders.first()


class AllocationImportForm(StyledForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"), help_text=_("Columns: 出资方, 年度, 预算额度（万元）, 备注."))


class RuleFundersForm(VersionedForm):
    province = forms.DecimalField(
        label=_("Province / autonomous region (%)"), required=False, min_value=0, max_value=100
    )
    city = forms.DecimalField(label=_("City / prefecture (%)"), required=False, min_value=0, max_value=100)
    county = forms.DecimalField(label=_("County, district or park (%)"), required=False, min_value=0, max_value=100)
    note = forms.CharField(label=_("Basis of the decision"), max_length=255)

    def funders(self) -> dict:
        return {level: self.cleaned_data[level] for level in ("province", "city", "county")}


class TranchesForm(VersionedForm):
    tranches = forms.CharField(
        label=_("Tranches (%)"),
        required=False,
        max_length=60,
        help_text=_("Whole percentages separated by commas, e.g. 50,50; empty pays in one tranche."),
    )
