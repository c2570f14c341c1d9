"""Writes to the register. Every change goes through here and is audited."""

import inspect
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises import credit_codes, industries
from enterprises.models import DIGITAL_LEVELS, ENTERPRISE_FIELDS, AnnualIndicator, Enterprise, IndicatorSource
from portal import on_commit
from portal.audit import record_creation, update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, Region, User


def malformed_credit_code_message(code: str) -> str:
    return _("统一社会信用代码 “%(code)s” must be 18 characters of digits and capital letters (no I, O, Z, S, V).") % {
        "code": code
    }


def clean_credit_code(raw: str) -> tuple[str, bool]:
    """Normalised code and whether its check character fails. Malformed codes are refused;
    a failing check character is kept (some early real codes fail it) and flagged for review."""
    parsed = credit_codes.parse(raw)
    if not parsed.is_well_formed:
        raise ServiceError(malformed_credit_code_message(parsed.value or raw), code="credit_code")
    return parsed.value, not parsed.has_valid_check


def clean_industry_code(raw: str) -> str:
    if not raw:
        return ""
    code, error = industries.validate(raw)
    if error:
        raise ServiceError(error, code="industry_code")
    return code


def _check_version(instance, expected_version: int | None) -> None:
    """Refuse a write based on a stale read. `expected_version` 0 means "I saw no such record"."""
    if expected_version is not None and instance.version != expected_version:
        raise ConcurrentEditError(
            _(
                "“%(name)s” was changed by someone else after you opened it. Reload the page to see their changes, then apply yours again."
            )
            % {"name": instance}
        )


@transaction.atomic
def create_enterprise(*, actor: User, credit_code: str, name: str, region: Region, **fields: Any) -> Enterprise:
    code, is_flagged = clean_credit_code(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ServiceError(
            _("An enterprise with credit code %(code)s already exists.") % {"code": code}, code="duplicate"
        )
    fields["industry_code"] = clean_industry_code(fields.get("industry_code", ""))
    enterprise = Enterprise.objects.create(
        credit_code=code, is_credit_code_flagged=is_flagged, name=name.strip(), region=region, **fields
    )
    record_creation(enterprise, actor=actor, fields=ENTERPRISE_FIELDS, region=region)
    return enterprise


@transaction.atomic
def update_enterprise(
    *, actor: User, enterprise: Enterprise, expected_version: int | None = None, **fields: Any
) -> Enterprise:
    """Change an enterprise's master data; refused if someone saved it in between."""
    enterprise = Enterprise.objects.select_for_update().select_related("region").get(pk=enterprise.pk)
    _check_version(enterprise, expected_version)
    if "credit_code" in fields:
        fields["credit_code"], fields["is_credit_code_flagged"] = clean_credit_code(fields["credit_code"])
        if Enterprise.objects.filter(credit_code=fields["credit_code"]).exclude(pk=enterprise.pk).exists():
            raise ServiceError(
                _("An enterprise with credit code %(code)s already exists.") % {"code": fields["credit_code"]},
                code="duplicate",
            )
    if "industry_code" in fields:
        fields["industry_code"] = clean_industry_code(fields["industry_code"])
    update_audited(
        enterprise,
        actor=actor,
        values=fields,
        fields=ENTERPRISE_FIELDS,
        region=fields.get("region", enterprise.region),
    )
    return enterprise


def _source_stamp(source: str, actor: User | None) -> dict[str, Any]:
    return {"source": source, "by": actor.pk if actor else None, "at": timezone.now().isoformat()}


@transaction.atomic
def save_indicators(
    *,
    actor: User,
    enterprise: Enterprise,
    year: int,
    values: dict[str, Decimal | int | None],
    source: str = IndicatorSource.MANUAL,
    expected_version: int | None = None,
) -> AnnualIndicator:
    """Set an enterprise's figures for one year, recording the source of each changed figure.

    Pass `expected_version` (0 for a year not yet on record) to refuse overwriting
    figures someone else saved after the caller read them.
    """
    if not 1990 <= year <= timezone.localdate().year + 1:
        raise ServiceError(_("Year %(year)s is out of range.") % {"year": year}, code="year")
    unknown = set(values) - set(AnnualIndicator.value_fields())
    if unknown:
        raise ServiceError(_("Unknown indicator: %(names)s") % {"names": ", ".join(sorted(unknown))})
    fields = {field.name: field for field in AnnualIndicator._meta.concrete_fields}
    for name, value in values.items():
        field = fields[name]
        if value is not None and value < 0 and any(isinstance(check, MinValueValidator) for check in field.validators):
            raise ServiceError(_("%(field)s cannot be negative.") % {"field": field.verbose_name}, code=name)
    level = values.get("digital_level")
    if level is not None and not DIGITAL_LEVELS[0] <= level <= DIGITAL_LEVELS[1]:
        raise ServiceError(_("The digitalisation level must be 1 to 4."), code="digital_level")
    indicator, created = AnnualIndicator.objects.select_for_update().get_or_create(enterprise=enterprise, year=year)
    if not created:
        _check_version(indicator, expected_version)

    def stamp_sources(changes: dict[str, Any]) -> None:
        stamp = _source_stamp(source, actor)
        indicator.sources = {**indicator.sources, **{name: stamp for name in changes}}

    # A new year's row holds no figures yet, so its changes are the figures given.
    changes = update_audited(
        indicator,
        actor=actor,
        values=values,
        fields=tuple(values),
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        region=enterprise.region,
        save_unchanged=created,
        before_save=stamp_sources,
    )
    if not changes and not created:
        return indicator
    on_enterprise_changed(enterprise_id=enterprise.pk)
    return indicator


def on_enterprise_changed(*, enterprise_id: int) -> None:
    """One enterprise's data changed: on_enterprises_changed for a single edit."""
    on_enterprises_changed(enterprise_ids=[enterprise_id])


def on_enterprises_changed(*, enterprise_ids: Iterable[int]) -> None:
    """Announce changed enterprises to the hooks in ENTERPRISE_CHANGE_HOOKS, once per transaction.

    Every id announced inside one transaction is collected and the hooks are
    called once, after it commits, with all of them (a 50,000-row roster makes
    one call, not 50,000). Outside a transaction they are called at once. If a
    savepoint rolls back after announcing, its ids may still be announced:
    hooks must tolerate an enterprise that did not change after all.
    """
    ids = list(dict.fromkeys(enterprise_ids))
    if not ids or not ENTERPRISE_CHANGE_HOOKS:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _call_enterprise_hooks(ids)
        return
    # Join the batch this transaction already has, if any (a callback registered in a
    # savepoint that rolled back is no longer pending).
    for batch in on_commit.pending(_ChangedEnterprises):
        batch.ids.update(dict.fromkeys(ids))
        return
    transaction.on_commit(_ChangedEnterprises(ids))


class _ChangedEnterprises:
    """The on-commit callback carrying one transaction's changed enterprise ids."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = dict.fromkeys(ids)

    def __call__(self) -> None:
        _call_enterprise_hooks(list(self.ids))


def _call_enterprise_hooks(ids: list[int]) -> None:
    for hook in list(ENTERPRISE_CHANGE_HOOKS):
        if _takes_batches(hook):
            hook(enterprise_ids=ids)
        else:
            # A hook written for the one-id contract; called per id until its app moves to batches.
            for enterprise_id in ids:
                hook(enterprise_id)


def _takes_batches(hook: Callable) -> bool:
    try:
        return "enterprise_ids" in inspect.signature(hook).parameters
    except (TypeError, ValueError):
        return False


# Callables taking `enterprise_ids` (a list of ints), called once per committed transaction
# with every enterprise whose data changed in it: eligibility, targets. A callable taking a
# single id (the older contract) is still called, once per id.
ENTERPRISE_CHANGE_HOOKS: list[Callable] = []
