from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Bureau staff")
    LIAISON = "liaison", _("Department liaison")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("System administrator")


class User(AbstractUser):
    """A person of the portal: one role, one region, maybe one department."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    region = models.ForeignKey(
        "portal.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("region")
    )
    department = models.ForeignKey(
        "portal.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("department"),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_staff_member(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def scope_path(self) -> str | None:
        """The region path prefix this user may see; None means nothing at all."""
        if self.region_id is None:
            return "" if self.is_superuser else None
        return self.region.path
