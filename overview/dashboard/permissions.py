"""Who may read which region's dashboard."""

from portal.models import Region, User


def can_view_dashboards(user: User) -> bool:
    """Leaders and administrators read dashboards; so do bureau staff, who prepare the figures leaders quote
    and must see what the leader sees. Department liaisons report on their own tasks only and do not."""
    return user.is_authenticated and (user.is_admin or user.is_leader or user.is_staff_member)


def can_view_dashboard(user: User, region: Region) -> bool:
    """A reader of dashboards sees the dashboard of their own region and of every region below it."""
    path = user.scope_path
    return can_view_dashboards(user) and path is not None and region.path.startswith(path)
