"""One parser for every query and path parameter of every list, page and API.

Ids, years and page numbers are ASCII digits only ("²" and "٣" are digits to
`str.isdigit()` but not to `int()`), at most 18 of them; choices must be one of
the known values; dates are ISO. Anything else raises `InvalidParameter`, which
the API answers as a 400 in its error shape and pages as a 400 page, naming the
parameter in Chinese. An empty or absent parameter means "no filter".
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ServiceError

_DIGITS = re.compile(r"[0-9]{1,18}")

# What users call each parameter; a name not listed here is shown as it is.
LABELS = {
    "region": gettext_lazy("region"),
    "tier": gettext_lazy("tier"),
    "batch": gettext_lazy("batch"),
    "enterprise": gettext_lazy("enterprise"),
    "funder": gettext_lazy("funder"),
    "year": gettext_lazy("year"),
    "page": gettext_lazy("page number"),
    "page_size": gettext_lazy("page size"),
    "state": gettext_lazy("state"),
    "status": gettext_lazy("status"),
    "stage": gettext_lazy("stage"),
    "size_class": gettext_lazy("size class"),
    "kind": gettext_lazy("kind"),
    "policy": gettext_lazy("policy"),
    "as_of": gettext_lazy("date"),
    "days": gettext_lazy("days"),
    "above_scale": gettext_lazy("above designated size"),
    "include_left": gettext_lazy("include those who left"),
    "purpose": gettext_lazy("purpose"),
    "verdict": gettext_lazy("verdict"),
    "level": gettext_lazy("level"),
    "metric": gettext_lazy("metric"),
}


class InvalidParameter(ServiceError):
    """A query or path parameter that is not what it must be; `name` is the parameter."""

    def __init__(self, name: str, reason: str) -> None:
        label = str(LABELS.get(name, name))
        super().__init__(
            _("The parameter “%(label)s” (%(name)s) %(reason)s") % {"label": label, "name": name, "reason": reason},
            code="invalid_parameter",
        )
        self.name = name
        self.fields = {name: [self.message]}


def _raw(params: Mapping[str, Any], name: str) -> str:
    if hasattr(params, "getlist") and len(params.getlist(name)) > 1:
        raise InvalidParameter(name, _("must be given once."))
    value = params.get(name, "")
    # Not stripped: Python counts control characters such as \x1f as white space, and
    # " 12" is no more an id than "x12". Free text is stripped by `text`.
    return "" if value is None else str(value)


def integer(params: Mapping[str, Any], name: str, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    """A whole number written in ASCII digits, or None when absent or empty."""
    raw = _raw(params, name)
    if raw == "":
        return None
    if not _DIGITS.fullmatch(raw):
        raise InvalidParameter(name, _("must be a whole number written with the digits 0–9."))
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = {"minimum": minimum, "maximum": maximum}
        if maximum is None:
            raise InvalidParameter(name, _("must be at least %(minimum)s.") % bounds)
        raise InvalidParameter(name, _("must lie between %(minimum)s and %(maximum)s.") % bounds)
    return value


# The dates and years a parameter may name (as `year` allows 1900–2200).
EARLIEST_DATE, LATEST_DATE = datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)


def year(params: Mapping[str, Any], name: str = "year") -> int | None:
    return integer(params, name, minimum=1900, maximum=2200)


def choice(params: Mapping[str, Any], name: str, choices: Iterable[str]) -> str:
    """One of `choices`, or "" when absent or empty; an unknown value is refused, never ignored."""
    raw = _raw(params, name)
    allowed = [str(value) for value in choices]
    if raw == "" or raw in allowed:
        return raw
    raise InvalidParameter(name, _("must be one of: %(choices)s.") % {"choices": "、".join(allowed)})


def flag(params: Mapping[str, Any], name: str) -> bool | None:
    """ "1" is yes, "0" is no, absent is None."""
    value = choice(params, name, ["1", "0"])
    return {"1": True, "0": False}.get(value)


def date(params: Mapping[str, Any], name: str) -> datetime.date | None:
    raw = _raw(params, name)
    if raw == "":
        return None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        raise InvalidParameter(name, _("must be a date written as YYYY-MM-DD."))
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidParameter(name, _("must be a date written as YYYY-MM-DD.")) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        # Year 1 or 9999 is no one's meaning, and date arithmetic on it overflows.
        raise InvalidParameter(
            name,
            _("must be a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )
    return day


def text(params: Mapping[str, Any], name: str, *, max_length: int = 100) -> str:
    return _raw(params, name).strip()[:max_length]


__all__ = ["LABELS", "InvalidParameter", "choice", "date", "flag", "integer", "text", "year"]
