from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.holdings import holdings
from enterprises.roster.analysis import RosterChoices
from enterprises.roster.reading import human_size


def _tier_choices() -> list[tuple[str, str]]:
    return [
        ("", _("As the file's title says")),
        *((tier.code, tier.name) for tier in holdings().tiers().order_by("pk")),
    ]


class RosterUploadForm(forms.Form):
    # Empty files reach the importer, whose refusal says exactly what is wrong.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("Roster file"),
        help_text=_(
            "An .xlsx, .xls or .csv file (UTF-8 or GBK) with a header row such as 企业名称, 统一社会信用代码, 所在地区."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv", "class": "form-control"}),
    )
    tier = forms.ChoiceField(
        label=_("Tier of the roster"),
        required=False,
        choices=_tier_choices,
        help_text=_("For a file without a title row: its rows become recognitions of this tier."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = forms.IntegerField(
        label=_("Year of the roster"),
        required=False,
        min_value=2000,
        help_text=_("For a file without a title row: the recognitions' year and the year its figures are filed under."),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s, more than the limit of %(limit)s.")
                % {"size": human_size(upload.size), "limit": human_size(limit)}
            )
        return upload

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year + 1:
            raise forms.ValidationError(_("The year of the roster cannot be later than next year."))
        return year

    def choices(self) -> RosterChoices:
        return RosterChoices(tier_code=self.cleaned_data.get("tier") or "", year=self.cleaned_data.get("year"))
