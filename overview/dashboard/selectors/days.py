"""The dashboard's shared pieces: whose figures (viewer_for), what "as of a day" means for
recognitions, the pool and applications, and the plain-data shape of a section."""

import datetime

from django.db.models import Q
from django.utils import timezone

from portal.models import Region, Role, User
from tiers.models import Recognition


def viewer_for(region: Region) -> User:
    """An unsaved leader of `region`: the domain selectors then return exactly that region's data.

    Building the figures through a leader of the region, rather than the person
    looking, makes the dashboard and a briefing of the same region and date agree
    whoever asked (a finance officer's selectors would show only their funder).
    """
    return User(username="dashboard", role=Role.LEADER, region=region)


def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def recognition_valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Held on `day`: granted by then, not yet past its validity, not revoked by then.

    An expired recognition counts for the days it was valid, and a revoked one
    until the day of revocation, so a past date gives the same count later.
    """
    p = prefix
    return (
        Q(**{f"{p}recognized_on__lte": day})
        & (Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": day}))
        & (
            Q(**{f"{p}status__in": [Recognition.Status.VALID, Recognition.Status.EXPIRED]})
            | Q(**{f"{p}status": Recognition.Status.REVOKED, f"{p}revoked_on__gt": day})
        )
    )


def pool_open_on(day: datetime.date) -> Q:
    end = day_end(day)
    return Q(entered_at__lt=end) & (Q(left_at__isnull=True) | Q(left_at__gte=end))


def submitted_in_year_by(day: datetime.date) -> Q:
    """Applications submitted in `day`'s year up to `day`."""
    start = timezone.make_aware(datetime.datetime(day.year, 1, 1))
    return Q(submitted_at__gte=start, submitted_at__lt=day_end(day))


def section(key: str, title: str, columns: list[str], rows: list[list], **extra) -> dict:
    return {"key": key, "title": title, "columns": columns, "rows": rows, "chart": None, "note": "", **extra}


# --- Targets ---------------------------------------------------------------------------
