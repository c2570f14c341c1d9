from tasks.models.inferences import Inference
from tasks.models.policies import Measure, MeasureUnit, Policy, ReportingCycle
from tasks.models.reports import LeaderComment, ReportAttachment, TaskReport
from tasks.models.targets import Target, TargetConflict, TargetResult
from tasks.models.visits import ServiceVisit

__all__ = [
    "Inference",
    "LeaderComment",
    "Measure",
    "MeasureUnit",
    "Policy",
    "ReportAttachment",
    "ReportingCycle",
    "ServiceVisit",
    "Target",
    "TargetConflict",
    "TargetResult",
    "TaskReport",
]
