from django.db.models import Q, QuerySet

from portal.models import User
from portal.selectors import scope_filter


def users_visible_to(user: User, *, query: str = "") -> QuerySet[User]:
    """Users of the administrator's region and below (everyone for a national administrator)."""
    users = User.objects.all()
    if user.region_id is not None:
        users = users.filter(scope_filter(user, "region"))
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return users.select_related("region", "department").order_by("region__path", "username")


def user_detail(user: User, pk: int) -> User | None:
    return users_visible_to(user).filter(pk=pk).first()
