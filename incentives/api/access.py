"""Who may read the incentives API at all: the check every reading view makes first (here and in budget_api)."""

from rest_framework.exceptions import PermissionDenied

from incentives import permissions


def require_reader(user) -> None:
    if not permissions.can_view_incentives(user):
        raise PermissionDenied
