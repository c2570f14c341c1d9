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


class ConflictDecisionForm(forms.Form):
    """Adopt one of two contradicting figures, or keep both as 待确认; the reason goes on the record."""

    choice = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, conflict, **kwargs) -> None:
        super().__init__(*args, **kwargs)

        def figure(target) -> str:
            value = format(target.value.normalize(), "f")
            where = (
                _("Measure %(number)s") % {"number": target.measure.number} if target.measure_id else _("Overall goals")
            )
            return f"{value}{target.unit}（{where}）"

        self.fields["choice"].choices = [
            ("first", _("Adopt %(figure)s") % {"figure": figure(conflict.first)}),
            ("second", _("Adopt %(figure)s") % {"figure": figure(conflict.second)}),
            ("both", _("Keep both as to be confirmed")),
        ]


class InferenceDecisionForm(forms.Form):
    """Confirm an inferred value (leave the value empty) or enter the right one; the reason goes on the record."""

    value = forms.CharField(
        label=_("Value"),
        required=False,
        help_text=_("Empty confirms the inferred value. A plan period is two dates: 2024-01-01 2027-12-31."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, row, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.field_name = row.inference.field
        if self.field_name == "lead_unit":
            units = [(link.department_id, link.department.name) for link in row.subject.prefetched_unit_links]
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Lead unit"), choices=[("", _("Keep the inferred unit")), *units], coerce=int, required=False,
                empty_value=None, widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )  # fmt: skip

    def clean_value(self):
        value = self.cleaned_data.get("value")
        if self.field_name == "plan_period" and value:
            parts = value.replace("至", " ").replace("–", " ").replace(",", " ").split()
            if len(parts) != 2:
                raise forms.ValidationError(_("Plan period: enter two dates, start and end."))
            return parts
        return value
