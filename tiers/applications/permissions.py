"""Who may do what with applications, publicity lists and recognitions.

Refusals that a user can run into by following a link come with a reason
(`*_refusal` returns the message or None); the `can_*` predicates read them.
Records outside the user's region never get this far: they are a 404.
"""

from django.utils.translation import gettext as _

from portal.models import User
from tiers.applications.models import Application, ApplicationState, PublicityList, ReviewChain, ReviewLevel
from tiers.applications.responsibility import department_leads, department_refusal, level_of

BATCH_LEVELS = (ReviewLevel.CITY, ReviewLevel.PROVINCE)


def _in_scope(user: User, region) -> bool:
    path = user.scope_path
    return path is not None and region is not None and region.path.startswith(path)


def can_view_applications(user: User) -> bool:
    """Bureau staff, leaders and administrators read the applications of their region and below."""
    return user.is_authenticated and (user.is_admin or user.is_staff_member or user.is_leader)


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


def decision_regions(application: Application) -> list:
    """Where the outcome is recorded: the deciding region, and, for a provincial or national decision, the city
    that recommended the application (its responsible department receives the notice and records it)."""
    from tiers.applications.services.chains import regions_by_level

    regions = [application.reviewing_region] if application.reviewing_region_id else []
    city = regions_by_level(application.region).get(ReviewLevel.CITY)
    if city is not None and city not in regions:
        regions.append(city)
    return regions


def separation_refusal(user: User, application: Application) -> str | None:
    """Nobody acts on a review step of work they entered or last submitted, where the tier's chain says so."""
    if user.pk not in (application.created_by_id, application.submitted_by_id):
        return None
    chain = ReviewChain.objects.filter(tier_id=application.tier_id).only("separates_duties").first()
    if chain is not None and not chain.separates_duties:
        return None
    return _(
        "You entered or submitted this application, so you cannot act on its review step; "
        "another colleague of your department must review it."
    )


def review_refusal(user: User, application: Application) -> str | None:
    """Why the user may not act on the application at its current step, or None.

    At a review step: bureau staff of the region holding it, of the department
    that leads the tier at that level (responsibility.py), who neither entered
    nor submitted it. After the last step: staff of the leading department of
    the deciding region, or of the recommending city for a provincial or
    national decision, record the outcome; administrators do not.
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
        return department_refusal(user, application.tier, user.region) or separation_refusal(user, application)
    if application.state == ApplicationState.RECOMMENDED:
        if not user.is_staff_member:
            return _(
                "The outcome is recorded by the responsible department of the deciding level, "
                "not by administrators or other roles."
            )
        regions = decision_regions(application)
        if user.region_id not in {region.pk for region in regions}:
            return _("The final decision on this application is recorded by bureau staff of %(region)s.") % {
                "region": "、".join(region.name for region in regions)
            }
        return department_refusal(user, application.tier, user.region)
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
    """Bureau staff of a city or province (for the tiers their department leads) and administrators open batches."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_staff_member and level_of(user.region) in BATCH_LEVELS)


def batch_refusal(user: User, tier) -> str | None:
    """Why the user may not open a batch of `tier`: the department leading it at a city or province level runs it."""
    if user.is_admin:
        return None
    if not (user.is_staff_member and level_of(user.region) in BATCH_LEVELS):
        return _("Batches are opened by the responsible department of a city or province.")
    return department_refusal(user, tier, user.region)


def opinion_refusal(user: User, application: Application) -> str | None:
    """Why the user may not give a countersigned opinion (会签): staff of a department that does not lead the tier,
    in the application's scope, during review."""
    if application.state not in (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED):
        return _("Opinions are given while the application is under review.")
    if not user.is_staff_member or user.department is None:
        return _("Opinions are given by bureau staff on behalf of their department.")
    if department_leads(user.department, application.tier):
        return _("Your department leads this tier: it decides, with a comment, instead of giving an opinion.")
    if not _in_scope(user, application.region):
        return _("This application belongs to %(region)s, outside your region.") % {"region": application.region}
    return None


def work_refusal(user: User, application: Application) -> str | None:
    """Why the user may not add score reviews or on-site checks: only the reviewers of the current step may."""
    if application.state != ApplicationState.IN_REVIEW:
        return _("Scores and on-site checks are recorded at a review step; this application is “%(state)s”.") % {
            "state": application.state_label
        }
    return review_refusal(user, application)


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


def can_edit_responsibilities(user: User) -> bool:
    """Administrators change which department leads a tier at a level."""
    return user.is_authenticated and user.is_admin
