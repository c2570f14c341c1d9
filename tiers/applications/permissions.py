"""Who may do what with applications, publicity lists and recognitions.

Refusals that a user can run into by following a link come with a reason
(`*_refusal` returns the message or None); the `can_*` predicates read them.
Records outside the user's region never get this far: they are a 404.
"""

from django.utils.translation import gettext as _

from portal.models import User
from tiers.applications.models import Application, ApplicationState, PublicityList


def _in_scope(user: User, region) -> bool:
    path = user.scope_path
    return path is not None and region is not None and region.path.startswith(path)


def can_view_applications(user: User) -> bool:
    """Bureau staff, leaders and administrators read the applications of their region and below."""
    return user.is_authenticated and (user.is_admin or user.is_staff_member or user.is_leader)


def can_view_application(user: User, application: Application) -> bool:
    """Readers see an application of an enterprise in their region or below it."""
    return can_view_applications(user) and _in_scope(user, application.region)


def can_create_application(user: User, enterprise=None) -> bool:
    """Bureau staff (and administrators) enter applications for the enterprises of their scope."""
    if not (user.is_authenticated and (user.is_admin or user.is_staff_member)):
        return False
    return enterprise is None or _in_scope(user, enterprise.region)


def edit_refusal(user: User, application: Application) -> str | None:
    """Why the user may not edit, attach to or (re)submit the application: staff of its scope only."""
    if not (user.is_admin or user.is_staff_member):
        return _("Only bureau staff enter and submit applications.")
    if not _in_scope(user, application.region):
        return _("This application belongs to %(region)s, outside your region.") % {"region": application.region}
    return None


def can_edit_application(user: User, application: Application) -> bool:
    """Bureau staff of the enterprise's region or above edit drafts and returned applications."""
    return edit_refusal(user, application) is None and application.is_editable


def review_refusal(user: User, application: Application) -> str | None:
    """Why the user may not act on the application at its current step, or None.

    At a review step: bureau staff of the region holding it (the county's staff at
    the county step, the city's at the city step). After the last step: bureau
    staff of the deciding level's region, or administrators, record the decision.
    In any other state the service explains why nothing can be done.
    """
    if application.state == ApplicationState.IN_REVIEW:
        if not user.is_staff_member:
            return _("Only bureau staff review applications.")
        if user.region_id != application.reviewing_region_id:
            return _("“%(step)s” of this application is done by bureau staff of %(region)s.") % {
                "step": application.state_label,
                "region": application.reviewing_region,
            }
        return None
    if application.state == ApplicationState.RECOMMENDED:
        if user.is_admin:
            return None
        if not user.is_staff_member or application.reviewing_region_id is None:
            return _("The final decision is recorded by administrators or by bureau staff of the deciding level.")
        if user.region_id != application.reviewing_region_id:
            return _("The final decision on this application is recorded by bureau staff of %(region)s.") % {
                "region": application.reviewing_region
            }
        return None
    return None


def can_review_application(user: User, application: Application) -> bool:
    """Bureau staff of the holding region act at a review step; see review_refusal."""
    return (
        application.state in (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED)
        and review_refusal(user, application) is None
    )


def can_view_board(user: User) -> bool:
    """Staff, leaders and administrators see the review board of their scope."""
    return can_view_applications(user)


def can_manage_batches(user: User) -> bool:
    """Administrators open and close batches."""
    return user.is_authenticated and user.is_admin


def can_manage_publicity(user: User, publicity_list: PublicityList | None = None) -> bool:
    """Administrators and bureau staff publish lists for their region and record and resolve objections."""
    if not (user.is_authenticated and (user.is_admin or user.is_staff_member)):
        return False
    return publicity_list is None or _in_scope(user, publicity_list.region)


def can_revoke_recognition(user, recognition) -> bool:
    """Administrators, and bureau staff whose scope covers the enterprise, revoke recognitions."""
    if not (user.is_authenticated and (user.is_admin or user.is_staff_member)):
        return False
    return _in_scope(user, recognition.enterprise.region)
