"""The money field every amount of the incentives app uses: 万元 with two decimals, as the documents count it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def money_field(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, help_text=_("万元"), **kwargs)
