from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms import DATE_WIDGET, style_fields
from portal.models import User
from portal.selectors import scope_filter
from tiers.models import PoolEntry, Tier


def commissioners_for(user: User):
    """Staff of the user's scope can be service commissioners."""
    return User.objects.filter(scope_filter(user), role="staff", is_active=True).order_by("username")


class PoolAddForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("tier"), queryset=Tier.objects.order_by("name"))
    stage = forms.ChoiceField(label=_("stage"), choices=PoolEntry.Stage.choices, initial=PoolEntry.Stage.RESERVE)
    commissioner = forms.ModelChoiceField(label=_("service commissioner"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = commissioners_for(user)
        style_fields(self)


class PoolEntryForm(forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=PoolEntry.Stage.choices)
    commissioner = forms.ModelChoiceField(label=_("service commissioner"), queryset=User.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = commissioners_for(user)
        style_fields(self)


class PoolLeaveForm(forms.Form):
    reason = forms.CharField(label=_("reason for leaving"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class AssessmentForm(forms.Form):
    MET_CHOICES = [("", _("Not stated")), ("yes", _("Met")), ("no", _("Not met"))]

    is_met = forms.ChoiceField(label=_("met"), choices=MET_CHOICES, required=False)
    value = forms.DecimalField(
        label=_("value"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("For facts that are numbers: years, a market share in %, a rank, expert points."),
    )
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 3}))
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "is_met": {"yes": True, "no": False}.get(data["is_met"]),
            "value": data["value"],
            "evidence": data["evidence"],
            "valid_until": data["valid_until"],
        }
