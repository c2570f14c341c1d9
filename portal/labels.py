"""Stored values as people read them: a field's label, a choice's label, 是/否, units, dates.

Audit changes, application snapshots and histories keep raw values (field names,
choice keys, ISO dates, JSON); every page shows them through these functions so
that nobody reads `operating_revenue`, `valid`, `False` or `2024-06-28T00:00:00+08:00`.
The base layer imports no domain app: models are looked up by label.
"""

import datetime
import decimal
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = "—"

# Counts of people have no help text to carry their unit.
PEOPLE_FIELDS = frozenset({"employees", "rd_staff", "tech_staff"})
UNITS = frozenset({"万元", "人", "%", "元"})

# Keys of changes that are not model fields (written by services beside the fields).
EXTRA_LABELS = {
    "shares": gettext_lazy("shares by funder"),
    "note": gettext_lazy("note"),
    "comment": gettext_lazy("comment"),
    "reason": gettext_lazy("reason"),
}

# Background jobs by kind, as people name them.
JOB_LABELS = {
    "tiers.jobs.recompute_all": gettext_lazy("Nightly recompute"),
    "tiers.jobs.recompute_pending": gettext_lazy("Eligibility recompute after changes"),
    "incentives.jobs.recompute_entitlements": gettext_lazy("Reward recompute"),
    "enterprises.jobs.analyse_roster": gettext_lazy("Roster check"),
    "enterprises.jobs.commit_roster": gettext_lazy("Roster import"),
    "portal.briefings.jobs.generate_briefing": gettext_lazy("Briefing preparation"),
    "expire_recognitions": gettext_lazy("Expiry of recognitions"),
}
COMMAND_LABELS = {
    "load_demo": gettext_lazy("Demo data import"),
    "generate_demo": gettext_lazy("Generated demo data"),
    "load_policies": gettext_lazy("Policy and reference data import"),
    "recompute": gettext_lazy("Eligibility recompute (command)"),
}
# Fixed notes that commands and jobs write beside their changes.
NOTE_LABELS = {
    "demo data": gettext_lazy("demo data"),
    "demo account": gettext_lazy("demo account"),
    "reference data": gettext_lazy("reference data"),
    "expired": gettext_lazy("expired"),
    # Sign-in channels (portal.services.record_login / record_failed_login) and the roster commit.
    "page": gettext_lazy("sign-in page"),
    "page, two-factor": gettext_lazy("sign-in page, second factor"),
    "two-factor": gettext_lazy("second factor"),
    "api token": gettext_lazy("API token"),
    "api token, two-factor": gettext_lazy("API token, second factor"),
    "commit": gettext_lazy("commit"),
}
LOCKED_OUT = ": locked out"
# Keys of changes that are not fields of the changed model but of another one.
FOREIGN_FIELDS = {"action": ("tiers.reviewaction", "action")}
# Dotted keys of stored changes ("indicators.rd_expense") name a field of another model.
NESTED_MODELS = {"indicators": "enterprises.annualindicator"}
IP_ADDRESS = re.compile(r"^[0-9a-fA-F.:]+$")


def model_for(label: str) -> type[models.Model] | None:
    """The model named by an `app_label.model_name` label, or None."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field renamed since the value was stored
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The field's verbose name; a reverse relation's model name; else a known extra key."""
    field = _field(model, name)
    if field is not None:
        if hasattr(field, "verbose_name"):
            return str(field.verbose_name)
        return str(field.related_model._meta.verbose_name_plural)
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    return name


def unit_of(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is None:
        return ""
    help_text = str(getattr(field, "help_text", "") or "")
    if help_text in UNITS:
        return help_text
    if name in PEOPLE_FIELDS:
        return _("persons")
    return ""


def _date_text(value: str) -> str | None:
    moment = parse_datetime(value) if "T" in value or " " in value.strip() else None
    if moment is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "Y-m-d H:i")
    day = parse_date(value)
    return formats.date_format(day, "Y-m-d") if day is not None else None


def plain_value(value: Any) -> str:
    """A value with no field to explain it: 是/否, dates, numbers, lists and mappings."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "Y-m-d")
    if isinstance(value, decimal.Decimal | float):
        return format(decimal.Decimal(str(value)).normalize(), "f")
    if isinstance(value, dict):
        return "；".join(f"{key} {plain_value(item)}" for key, item in value.items()) or EMPTY
    if isinstance(value, list | tuple):
        return "、".join(plain_value(item) for item in value) or EMPTY
    if isinstance(value, str):
        return _date_text(value) or value if re.match(r"^\d{4}-\d{2}-\d{2}", value) else value
    return str(value)


def display_value(model: type[models.Model] | None, name: str, value: Any) -> str:
    """`value` of field `name` as people read it: the choice's label, 是/否, with its unit, dates formatted."""
    if value is None or value == "":
        return EMPTY
    field = _field(model, name)
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    unit = unit_of(model, name)
    if name == "shares" and isinstance(value, dict):  # amounts per funding region
        unit = unit_of(model, "amount")
    if unit and isinstance(value, dict):
        amount = _money if unit == "万元" else plain_value
        return "；".join(f"{key} {amount(item)} {unit}" for key, item in value.items()) or EMPTY
    text = _money(value) if unit == "万元" else plain_value(value)
    return f"{text} {unit}" if unit and text != EMPTY else text


def _money(value: Any) -> str:
    """Amounts in 万元 with two decimals, as the register and the reward pages show them."""
    try:
        return f"{decimal.Decimal(str(value)):.2f}"
    except (decimal.InvalidOperation, ValueError):
        return plain_value(value)


def _model_and_name(model: type[models.Model] | None, name: str) -> tuple[type[models.Model] | None, str]:
    prefix, dot, rest = name.partition(".")
    if dot and prefix in NESTED_MODELS:
        return model_for(NESTED_MODELS[prefix]), rest
    if _field(model, name) is None and name in FOREIGN_FIELDS:
        label, field_name = FOREIGN_FIELDS[name]
        return model_for(label), field_name
    return model, name


def change_rows(model_label: str, changes: dict | None) -> list[tuple[str, str, str]]:
    """(label, before, after) for each change of an audit event, in people's words."""
    model = model_for(model_label)
    rows = []
    for key, values in (changes or {}).items():
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = values
        else:
            before, after = None, values
        owner, name = _model_and_name(model, key)
        rows.append((field_label(owner, name), display_value(owner, name, before), display_value(owner, name, after)))
    return rows


def snapshot_rows(model_label: str, values: dict | None) -> list[tuple[str, str]]:
    """(label, value) for each filled entry of a stored snapshot of a model's fields."""
    model = model_for(model_label)
    return [
        (field_label(model, name), display_value(model, name, value))
        for name, value in (values or {}).items()
        if value is not None and value != ""
    ]


def field_value(value: Any, path: str) -> str:
    """`value` of the field at `path` ("app_label.model.field") as people read it."""
    model_label, _dot, name = path.rpartition(".")
    return display_value(model_for(model_label), name, value)


def origin_label(origin: str) -> str:
    """Where a change came from: 演示数据导入, 名册导入 #12, 夜间重算 #5, 网页（10.64.5.21）."""
    if not origin:
        return EMPTY
    kind, _sep, rest = origin.partition(":")
    if kind == "command":
        return str(COMMAND_LABELS.get(rest, _("Command-line operation")))
    if kind == "import" and rest:
        return _("Roster import #%(number)s") % {"number": rest}
    if kind == "job":
        job_kind, _sep, number = rest.partition("#")
        label = str(JOB_LABELS.get(job_kind, _("Background job")))
        return f"{label} #{number}" if number else label
    if IP_ADDRESS.match(origin):
        return _("Web (%(address)s)") % {"address": origin}
    return origin


def note_label(note: str) -> str:
    """An audit note: a fixed note in the reader's language, anything a person wrote as written."""
    if note.endswith(LOCKED_OUT):
        channel = note.removesuffix(LOCKED_OUT)
        return _("%(channel)s (locked out)") % {"channel": NOTE_LABELS.get(channel, channel)}
    return str(NOTE_LABELS.get(note, note))
