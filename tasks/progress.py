"""Progress against targets: the older name of `tasks.figures`, kept for the callers that import it.

New code should call `tasks.figures.target_figures`; `compute_progress` is the same function.
"""

from django.utils.translation import gettext_lazy as _

from tasks.figures import (
    ACHIEVED,
    AT_RISK,
    BEHIND,
    NOT_ACHIEVED,
    NOT_ADOPTED,
    ON_TRACK,
    SCOPE_INCOMPLETE,
    STATUS_COLOURS,
    STATUS_LABELS,
    UNCONFIRMED,
    UNMEASURED,
    TargetFigure,
    target_figures,
)

Progress = TargetFigure
compute_progress = target_figures

STATUS_RULE = _(
    "Total (合计): enterprises in the target's region and below holding a valid recognition of the tier on the date; "
    "a recognition counts on the days it was valid even if it expired or was revoked later. New (新增): holders on "
    "the date who did not hold the tier at the start date; a renewal, re-certification or review is not new. "
    "Achieved: the figure meets the target. On track: at least the value expected today on a steady pace from the "
    "start to the end of the target year. At risk: at least four fifths of the progress expected. Behind: less. "
    "Once the target year is over the figure is final at 31 December: met or missed. Yearly targets have one "
    "result per plan year. Data scope incomplete: the register holds no enterprises of part of the region the "
    "figure needs. To be confirmed: the document states two figures that contradict each other."
)

__all__ = [
    "ACHIEVED",
    "AT_RISK",
    "BEHIND",
    "NOT_ACHIEVED",
    "NOT_ADOPTED",
    "ON_TRACK",
    "SCOPE_INCOMPLETE",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "STATUS_RULE",
    "UNCONFIRMED",
    "UNMEASURED",
    "Progress",
    "compute_progress",
]
