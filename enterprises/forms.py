from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises import credit_codes, industries
from enterprises.holdings import holdings
from enterprises.models import ENTERPRISE_FIELDS, AnnualIndicator, Enterprise
from enterprises.services import malformed_credit_code_message
from portal.models import User
from portal.selectors import region_choices_for, scope_filter

# The browser's date picker needs ISO dates whatever the page's language.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style_fields(form: forms.BaseForm, size: str = "") -> None:
    """Bootstrap classes on every widget, so templates can render fields generically."""
    suffix = f" form-control-{size}" if size else ""
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            css = "form-select" + (f" form-select-{size}" if size else "")
        else:
            css = "form-control" + suffix
        field.widget.attrs.setdefault("class", css)


class EnterpriseForm(forms.ModelForm):
    # Longer than 18 so that a code pasted with spaces or dashes reaches normalisation.
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        help_text=_("18 characters; full-width characters, spaces and lower case are corrected automatically."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {"registered_on": DATE_WIDGET}
        help_texts = {"industry_code": _("GB/T 4754-2017, e.g. C3911; manufacturing is C13–C43.")}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(user)
        self.fields["service_commissioner"].queryset = User.objects.filter(scope_filter(user), is_active=True)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        style_fields(self)

    def clean_credit_code(self) -> str:
        parsed = credit_codes.parse(self.cleaned_data["credit_code"])
        if not parsed.is_well_formed:
            raise forms.ValidationError(malformed_credit_code_message(parsed.value), code="malformed")
        return parsed.value

    def clean_industry_code(self) -> str:
        raw = self.cleaned_data.get("industry_code", "")
        if not raw:
            return ""
        code, error = industries.validate(raw)
        if error:
            raise forms.ValidationError(error, code="industry")
        return code

    def service_kwargs(self) -> dict:
        """The cleaned data as the create/update services take it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class IndicatorForm(forms.ModelForm):
    digital_level = forms.TypedChoiceField(
        label=_("digitalisation level"),
        choices=[("", "—"), *[(level, str(level)) for level in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("数字化水平等级: 1–4"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualIndicator
        fields = list(AnnualIndicator.value_fields())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # 0 stands for "this year had no figures when I opened the form", so that two
        # people entering a new year at once cannot silently overwrite each other.
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        style_fields(self, size="sm")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in AnnualIndicator.value_fields()}


class RecognitionForm(forms.Form):
    """A recognition recorded by hand from a certificate or a published list."""

    tier = forms.ModelChoiceField(label=_("tier"), queryset=None)
    recognized_on = forms.DateField(label=_("recognized on"), widget=DATE_WIDGET)
    batch = forms.CharField(label=_("batch"), max_length=100, required=False)
    certificate_no = forms.CharField(label=_("certificate number"), max_length=100, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = holdings().tiers()
        style_fields(self, size="sm")


class AboveScalePeriodForm(forms.Form):
    """A 规上 period: entry date, and the 退库 date once the enterprise left."""

    entered_on = forms.DateField(label=_("entered above-size statistics on"), widget=DATE_WIDGET)
    left_on = forms.DateField(label=_("left (退库) on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self, "sm")


class AboveScaleExitForm(forms.Form):
    left_on = forms.DateField(label=_("left (退库) on"), widget=DATE_WIDGET)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self, "sm")
