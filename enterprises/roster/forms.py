from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from enterprises.roster.reading import human_size


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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s, more than the limit of %(limit)s.")
                % {"size": human_size(upload.size), "limit": human_size(limit)}
            )
        return upload
