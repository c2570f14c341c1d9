from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from enterprises.compliance.models import ComplianceRecord
from enterprises.roster.reading import human_size
from portal.models import Region


class ComplianceRecordForm(forms.ModelForm):
    class Meta:
        model = ComplianceRecord
        fields = [
            "kind",
            "category",
            "is_major",
            "listed_on",
            "removed_on",
            "authority",
            "document_number",
            "reason",
        ]
        widgets = {
            "listed_on": forms.DateInput(attrs={"type": "date"}),
            "removed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("kind") == ComplianceRecord.Kind.PENALTY and not data.get("category"):
            self.add_error("category", _("An administrative penalty needs its category."))
        listed, removed = data.get("listed_on"), data.get("removed_on")
        if listed and removed and removed < listed:
            self.add_error("removed_on", _("The removal date cannot be before the listing date."))
        return data


class ComplianceUploadForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label=_("Region covered"),
        help_text=_("The file holds the complete compliance data of this region and the regions below it."),
    )
    file = forms.FileField(
        allow_empty_file=True,
        label=_("Credit-information export"),
        help_text=_(
            "An .xlsx, .xls or .csv file with the columns 企业名称, 统一社会信用代码, 类别, 列入日期, 移出日期, 决定机关, 文号, 事由."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv", "class": "form-control"}),
    )

    def __init__(self, *args, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s, more than the limit of %(limit)s.")
                % {"size": human_size(upload.size), "limit": human_size(limit)}
            )
        return upload
