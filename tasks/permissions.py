"""Who may read and write policies, reports, instructions and visits. One predicate per rule."""

from portal.models import User
from tasks.models import Measure, MeasureUnit, Policy, TaskReport


def _in_scope(user: User, path: str) -> bool:
    scope = user.scope_path
    return scope is not None and path.startswith(scope)


def _unit_roles(user: User, measure: Measure) -> set[bool]:
    """{True} if the user's department leads the measure, {False} if it supports, empty otherwise."""
    if not user.is_authenticated or user.department_id is None:
        return set()
    cached = getattr(measure, "prefetched_unit_links", None)
    links = cached if cached is not None else MeasureUnit.objects.filter(measure=measure)
    return {link.is_lead for link in links if link.department_id == user.department_id}


def can_view_policy(user: User, policy: Policy) -> bool:
    """Leaders, staff and administrators see the policies of their region, above it and below it, and those
    whose measures their region's units carry; a liaison sees the policies their department has tasks in."""
    if not user.is_authenticated:
        return False
    if user.is_liaison:
        return (
            user.department_id is not None
            and MeasureUnit.objects.filter(measure__policy=policy, department_id=user.department_id).exists()
        )
    if _in_scope(user, policy.region.path) or (
        user.region is not None and policy.region_id in user.region.ancestors_and_self
    ):
        return True
    scope = user.scope_path
    return (
        scope is not None
        and MeasureUnit.objects.filter(measure__policy=policy, department__region__path__startswith=scope).exists()
    )


def can_view_measure(user: User, measure: Measure) -> bool:
    """A liaison sees only the tasks their department leads or supports; others as for the policy."""
    if user.is_authenticated and user.is_liaison:
        return bool(_unit_roles(user, measure))
    return can_view_policy(user, measure.policy)


def can_file_report(user: User, measure: Measure) -> bool:
    """A liaison reports on a task their department leads or supports, and on nothing else."""
    return user.is_authenticated and user.is_liaison and bool(_unit_roles(user, measure))


def can_file_consolidated_report(user: User, measure: Measure) -> bool:
    """Only the lead unit's liaison writes the consolidated report of a task."""
    return user.is_authenticated and user.is_liaison and True in _unit_roles(user, measure)


def can_view_report(user: User, report: TaskReport) -> bool:
    """A unit sees its own reports and the consolidated one; the lead unit sees every unit's report;
    leaders, staff and administrators who can see the task see all its reports."""
    if not user.is_authenticated:
        return False
    if not user.is_liaison:
        return can_view_measure(user, report.measure)
    roles = _unit_roles(user, report.measure)
    if not roles:
        return False
    return report.department_id == user.department_id or True in roles or report.is_consolidated


def can_edit_report(user: User, report: TaskReport) -> bool:
    """Only a liaison of the unit that filed a report edits it (a supporting unit never edits the consolidated one)."""
    return (
        user.is_authenticated
        and user.is_liaison
        and report.department_id == user.department_id
        and can_file_report(user, report.measure)
    )


def can_comment_on_measure(user: User, measure: Measure) -> bool:
    """Leaders (and administrators) give instructions (批示) on the tasks they can see."""
    return user.is_authenticated and (user.is_leader or user.is_admin) and can_view_measure(user, measure)


def can_export_task_list(user: User, policy: Policy) -> bool:
    """Whoever sees a task list may export what they see as a 台账."""
    return can_view_policy(user, policy)


def can_view_visits(user: User) -> bool:
    """Staff, leaders and administrators read visits in their region; commissioners read their own."""
    return user.is_authenticated


def can_log_visit(user: User, enterprise) -> bool:
    """An enterprise's service commissioner, or bureau staff of its region, logs a visit to it."""
    if not user.is_authenticated or not _in_scope(user, enterprise.region.path):
        return user.is_authenticated and enterprise.service_commissioner_id == user.pk
    return enterprise.service_commissioner_id == user.pk or user.is_staff_member or user.is_admin


def can_resolve_target_conflict(user: User, conflict) -> bool:
    """An administrator whose region covers the policy decides which of two contradicting figures holds."""
    return user.is_authenticated and user.is_admin and _in_scope(user, conflict.policy.region.path)


def can_decide_inference(user: User, policy: Policy) -> bool:
    """An administrator whose region covers the policy confirms or changes what the loader inferred from it."""
    return user.is_authenticated and user.is_admin and _in_scope(user, policy.region.path)
