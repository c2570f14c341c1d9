"""The verdicts an evaluation of a criteria set reaches; stored on eligibility results (tiers.models).

A module of its own, importing no model, so that the criteria engine reaches it without importing tiers.models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    MEETS = "meets", _("Meets the criteria")
    MEETS_EXCEPT_MANUAL = "meets_except_manual", _("Meets except items awaiting confirmation")
    MISSES = "misses", _("Misses criteria")
    INSUFFICIENT_DATA = "insufficient_data", _("Insufficient data")
