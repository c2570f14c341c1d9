from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    narrative = forms.CharField(
        label=_("Progress in the period"), widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"})
    )
    figures = forms.CharField(
        label=_("Figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("One per line: label: value (e.g. 新增高新技术企业: 3)"),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, Word, Excel, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    submit = forms.BooleanField(
        label=_("Submit (not a draft)"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, period_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices
        self.fields["period"].widget.attrs["class"] = "form-select"

    def clean_figures(self) -> list[dict[str, str]]:
        figures = []
        for line in self.cleaned_data["figures"].splitlines():
            if not line.strip():
                continue
            label, separator, value = line.replace("：", ":").partition(":")
            if not separator:
                raise forms.ValidationError(_("Write each figure as “label: value”."))
            figures.append({"label": label.strip(), "value": value.strip()})
        return figures


def figures_as_text(figures: list[dict]) -> str:
    return "\n".join(f"{item['label']}: {item['value']}" for item in figures)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Instruction (批示)"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class VisitForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    problems_raised = forms.CharField(
        label=_("Problems raised"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    problems_solved = forms.CharField(
        label=_("Problems solved"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    policy_notes = forms.CharField(
        label=_("一企一策 notes"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )

    def __init__(self, *args, enterprises, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
