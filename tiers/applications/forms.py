from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.selectors import enterprises_visible_to
from tiers.applications import selectors
from tiers.applications.models import Application, DepartmentLine, Objection, SiteCheck
from tiers.models import Tier


class ApplicationForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    batch = forms.ModelChoiceField(label=_("Batch"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Application.Kind.choices, initial=Application.Kind.NEW)
    indicator_year = forms.IntegerField(
        label=_("Indicator year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The fiscal year whose figures it relies on."),
    )
    statements = forms.CharField(label=_("Statements"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_visible_to(user).order_by("name")
        self.fields["batch"].queryset = selectors.open_batches(user)
        self.fields["indicator_year"].initial = timezone.localdate().year - 1
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class BatchForm(forms.Form):
    """A new batch for the user's region; the service checks the dates' order and that the name is new."""

    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.order_by("name"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Batch name"), max_length=100)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, tiers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if tiers is not None:
            self.fields["tier"].queryset = tiers
        self.fields["year"].initial = timezone.localdate().year
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class ApplicationEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    indicator_year = forms.IntegerField(label=_("Indicator year"), min_value=2000, max_value=2100)
    statements = forms.CharField(label=_("Statements"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.visible_fields():
            field.field.widget.attrs.setdefault("class", "form-control")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class DecisionForm(forms.Form):
    """The comment and the version of the page the reviewer acted on; decisions add date, document and notice."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=2000)
    recognized_on = forms.DateField(required=False)
    certificate_no = forms.CharField(required=False, max_length=100)
    document_no = forms.CharField(required=False, max_length=100)
    notice = forms.FileField(required=False)


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ScoreReviewForm(forms.Form):
    item_code = forms.CharField(max_length=60)
    points = forms.DecimalField(max_digits=6, decimal_places=1)
    reason = forms.CharField(required=False, max_length=2000)


class SiteCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"}))
    people = forms.CharField(label=_("Checked by"), max_length=200)
    findings = forms.CharField(label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=SiteCheck.Conclusion.choices)


class PublicityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = selectors.publishable_applications(user)
        for name in ("title", "starts_on", "ends_on"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")


class ObjectionForm(forms.Form):
    application = forms.IntegerField()
    objector = forms.CharField(label=_("Raised by"), max_length=100, required=False)
    received_on = forms.DateField(label=_("Received on"), required=False)
    text = forms.CharField(label=_("Objection"), max_length=5000)


class ResolveObjectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[
            (Objection.Status.DISMISSED, Objection.Status.DISMISSED.label),
            (Objection.Status.UPHELD, Objection.Status.UPHELD.label),
        ]
    )
    resolution = forms.CharField(max_length=5000)


class RevokeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ResponsibilityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    line = forms.ChoiceField(label=_("Responsible department"), choices=DepartmentLine.choices)
    is_inferred = forms.BooleanField(label=_("Inferred (推定)"), required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].widget.attrs["class"] = "form-select"
        self.fields["source"].widget.attrs["class"] = "form-control"
