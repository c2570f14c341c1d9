"""Reads of policies, tasks, targets, reports and visits, always scoped to the user.

One module a subject: policies (the scope: policies, tasks, targets and contradictions a user may see), task_lists,
inferences, reports and visits.
"""

from tasks.selectors.inferences import InferenceRow, inference_for, inferences_for, inferences_visible_to
from tasks.selectors.policies import (
    conflict_for,
    conflicts_visible_to,
    measure_for,
    measures_visible_to,
    policies_visible_to,
    policy_for,
    targets_visible_to,
)
from tasks.selectors.reports import ReportCell, leader_comments, my_tasks, report_for, report_grid, reports_visible_to
from tasks.selectors.task_lists import TaskList, TaskRow, target_progress, targets_overview, task_list
from tasks.selectors.visits import (
    CULTIVATED_TIERS,
    VisitTally,
    cultivated_enterprises,
    quarterly_visit_compliance,
    visitable_enterprises,
    visits_visible_to,
)

__all__ = [
    "CULTIVATED_TIERS",
    "InferenceRow",
    "ReportCell",
    "TaskList",
    "TaskRow",
    "VisitTally",
    "conflict_for",
    "conflicts_visible_to",
    "cultivated_enterprises",
    "inference_for",
    "inferences_for",
    "inferences_visible_to",
    "leader_comments",
    "measure_for",
    "measures_visible_to",
    "my_tasks",
    "policies_visible_to",
    "policy_for",
    "quarterly_visit_compliance",
    "report_for",
    "report_grid",
    "reports_visible_to",
    "target_progress",
    "targets_overview",
    "targets_visible_to",
    "task_list",
    "visitable_enterprises",
    "visits_visible_to",
]
