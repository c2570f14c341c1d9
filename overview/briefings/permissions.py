"""Who may request and read briefings."""

from overview.dashboard.permissions import can_view_dashboard
from portal.models import Briefing, Region, User


def can_request_briefing(user: User, region: Region) -> bool:
    """Whoever may read a region's dashboard may freeze it into a briefing."""
    return can_view_dashboard(user, region)


def can_view_briefing(user: User, briefing: Briefing) -> bool:
    """A briefing is read, and its files downloaded, by whoever may read its region's dashboard today."""
    return can_view_dashboard(user, briefing.region)
