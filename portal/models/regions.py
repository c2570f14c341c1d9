from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A node of the administrative tree.

    `path` is a materialised path ("0001.0004.") so that "this region and
    everything below it" is one indexed prefix match, whatever the depth.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province / autonomous region")
        CITY = "city", _("City / prefecture")
        COUNTY = "county", _("County / district / banner")
        PARK = "park", _("Park / development zone")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    requires_two_factor = models.BooleanField(
        _("requires two-factor sign-in"),
        default=False,
        help_text=_("Every user of this region and the regions below it signs in with a second factor."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path needs the primary key, so a new region is saved twice.
        if self.pk is None:
            self.path = f"tmp-{id(self)}."
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        old_path, old_depth = self._stored()
        if old_path and self.parent_id and self.parent.path.startswith(old_path):
            raise ValidationError(_("A region cannot be placed under itself or one of its own subregions."))
        self.depth = self.parent.depth + 1 if self.parent_id else 0
        self.path = (self.parent.path if self.parent_id else "") + f"{self.pk:05d}."
        with transaction.atomic():
            super().save(*args, **{**kwargs, "force_insert": False})
            if old_path and old_path != self.path and not old_path.startswith("tmp-"):
                # A move (撤县设区, a park changing hands): the whole subtree follows in one
                # statement, or every record below would drop out of every scope filter.
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                    depth=F("depth") + (self.depth - old_depth),
                )

    def clean(self) -> None:
        if self.pk is not None and self.parent_id is not None and self.parent.path.startswith(self._stored()[0]):
            raise ValidationError({"parent": _("A region cannot be placed under itself or one of its own subregions.")})

    def _stored(self) -> tuple[str, int]:
        """The path and depth in the database, before this save."""
        return Region.objects.filter(pk=self.pk).values_list("path", "depth").first() or ("", 0)

    def contains(self, other: "Region") -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestors_and_self(self) -> list[int]:
        """Primary keys from the root down to this region, read off the path."""
        return [int(part) for part in self.path.strip(".").split(".") if part]


class Department(models.Model):
    """A government unit of a region that can lead or support a measure."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Bureau / commission")
        GOVERNMENT = "government", _("People's government")
        PARK_COMMITTEE = "park_committee", _("Park management committee")
        OTHER = "other", _("Other unit")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name
