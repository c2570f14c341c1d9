from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises import credit_codes, industries
from enterprises.models import AnnualIndicator, Enterprise
from portal.models import Region, User


class EnterpriseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
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
        ]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from portal.selectors import region_choices_for, scope_filter

        self.fields["region"].queryset = region_choices_for(user)
        self.fields["service_commissioner"].queryset = User.objects.filter(scope_filter(user), is_active=True)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)

    def clean_credit_code(self) -> str:
        parsed = credit_codes.parse(self.cleaned_data["credit_code"])
        if not parsed.is_well_formed:
            raise forms.ValidationError(
                _("Must be 18 characters of digits and capital letters (no I, O, Z, S, V); got “%(code)s”."),
                params={"code": parsed.value},
            )
        return parsed.value

    def clean_industry_code(self) -> str:
        raw = self.cleaned_data.get("industry_code", "")
        if not raw:
            return ""
        code, error = industries.validate(raw)
        if error:
            raise forms.ValidationError(error)
        return code

    def clean_region(self) -> Region:
        return self.cleaned_data["region"]


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualIndicator
        fields = list(AnnualIndicator.value_fields())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
