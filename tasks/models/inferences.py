from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Inference(models.Model):
    """A value the loader inferred rather than read from a document (推定), with the rule that inferred it.

    The inferred value is already applied to its object (a measure's lead unit,
    a target's baseline, a policy's plan period); this row says so, so that the
    page can mark it 推定 until an administrator confirms or changes it
    (services.decide_inference, audited). A reload of the documents keeps a
    person's decision.
    """

    class State(models.TextChoices):
        INFERRED = "inferred", _("Inferred")
        CONFIRMED = "confirmed", _("Confirmed")
        CHANGED = "changed", _("Changed by an administrator")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    field = models.SlugField(_("what was inferred"), max_length=40)
    value = models.JSONField(_("value"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=500)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.INFERRED)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("time of decision"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("inference")
        verbose_name_plural = _("inferences")
        ordering = ["content_type", "object_id", "field"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "field"], name="inference_unique_field")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"

    @property
    def is_decided(self) -> bool:
        return self.state != self.State.INFERRED
