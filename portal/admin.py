"""The Django admin of the base layer, and the two kinds of admin every app uses.

The admin is a door like any other: a model whose changes have hooks (grants,
revocations, rewards, eligibility) or carry a version is read-only here
(`ReadOnlyAdmin`) and changes through the portal's services; configuration an
administrator keeps here (tiers, ladders, rules, regions, users) is written
through `AuditedAdmin`, which records every add, change and delete in the
portal's audit log like a service would. tests/test_admin_doors.py holds every
registered admin to one of the two.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from portal import services
from portal.audit import diff, record_event, snapshot
from portal.models import AuditEvent, Department, Job, Region, User, WorkerHeartbeat

admin.site.site_header = _("Enterprise Tier Cultivation Portal")
admin.site.site_title = _("Enterprise Tier Cultivation Portal")

# Never copied into the audit log, even as a before/after pair.
SECRET_FIELDS = {"portal.user.password", "otp_totp.totpdevice.key", "otp_static.statictoken.token"}


class ReadOnly:
    """No add, change or delete in the admin: for a model admin or an inline alike."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """Shown, searched and exported here; changed only through the portal's services."""


def _region_of(instance: models.Model) -> Region | None:
    if isinstance(instance, Region):
        return instance
    region = getattr(instance, "region", None)
    return region if isinstance(region, Region) else None


def _audited_fields(instance: models.Model) -> list[str]:
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and f"{instance._meta.label_lower}.{field.name}" not in SECRET_FIELDS
    ]


def _audit_save(*, actor, instance: models.Model, before: dict | None) -> None:
    after = snapshot(instance, _audited_fields(instance))
    if before is None:
        record_event(
            actor=actor, action=AuditEvent.Action.CREATE, instance=instance, changes=after, region=_region_of(instance)
        )
        return
    changes = diff(before, after)
    if changes:
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=instance,
            changes=changes,
            region=_region_of(instance),
            note="admin",
        )


def _audit_delete(*, actor, instance: models.Model) -> None:
    record_event(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=instance,
        changes=snapshot(instance, _audited_fields(instance)),
        region=_region_of(instance),
        note="admin",
    )


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made here — inlines and bulk deletes included — is in the audit log."""

    def save_model(self, request, obj, form, change) -> None:
        before = None
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored, _audited_fields(stored)) if stored is not None else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _audit_save(actor=request.user, instance=obj, before=before)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            _audit_delete(actor=request.user, instance=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                _audit_delete(actor=request.user, instance=obj)
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change) -> None:
        befores = {}
        for inline_form in formset.initial_forms:
            stored = inline_form.instance
            if stored.pk is not None:
                fresh = type(stored)._default_manager.filter(pk=stored.pk).first()
                if fresh is not None:
                    befores[stored.pk] = snapshot(fresh, _audited_fields(fresh))
        with transaction.atomic():
            deleted = [inline_form.instance for inline_form in formset.deleted_forms if inline_form.instance.pk]
            for instance in deleted:
                _audit_delete(actor=request.user, instance=instance)
            super().save_formset(request, form, formset, change)
            for instance in formset.new_objects:
                _audit_save(actor=request.user, instance=instance, before=None)
            for instance, _changed in formset.changed_objects:
                _audit_save(actor=request.user, instance=instance, before=befores.get(instance.pk))


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "role", "region", "department", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    autocomplete_fields = ["region", "department"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["display_name", "phone", "role", "region", "department"]}),
    )


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change) -> None:
        # A new parent moves the whole subtree: the same service (and audit row) as anywhere else.
        if change and "parent" in form.changed_data:
            services.move_region(actor=request.user, region=obj, parent=obj.parent)
        super().save_model(request, obj, form, change)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["at", "actor", "origin", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Jobs are rows the workers own; changing one here would race the worker running it."""

    list_display = ["pk", "kind", "status", "progress", "total", "attempts", "created_by", "created_at"]
    list_filter = ["status", "kind"]


admin.site.register(WorkerHeartbeat, ReadOnlyAdmin)


# Roles, not groups, decide what a user may do; a group edited here would change nothing but confuse.
admin.site.unregister(Group)

# Issuing or revoking someone's API token is a change to who can act: audited like the rest.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(AuditedAdmin, BaseTokenAdmin):
    pass


# An administrator removes a lost authenticator here (the user then sets up a new one at sign-in): audited.
for _device_model, _device_admin in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
    admin.site.unregister(_device_model)
    admin.site.register(_device_model, type(_device_admin.__name__, (AuditedAdmin, _device_admin), {}))
