"""The models of the `tiers` app, split by sub-domain and imported here by name.

Tiers and ladders, recognitions, criteria sets, manual assessments, stored eligibility and the cultivation
pool live in this package; the applications' models (tiers.applications.models) belong to the same app and
are re-exported here too, so that `tiers.models.<Name>` reaches every model of the app.
"""

# isort: off
# In the order the models were declared when they shared one module: Django registers them in import order,
# which orders the app's content types and each model's reverse relations.
from tiers.models.ladders import Ladder, LadderRung, Level, Tier
from tiers.models.recognitions import Recognition
from tiers.models.criteria_sets import CriteriaSet, Criterion
from tiers.models.assessments import ManualAssessment
from tiers.models.eligibility import EligibilityChange, EligibilityResult, RecomputeDrain, RecomputeRequest, Verdict
from tiers.models.pool import PoolEntry, PoolQuota, PoolRule
from tiers.applications.models import (
    Application,
    ApplicationState,
    Attachment,
    Batch,
    DepartmentLine,
    Objection,
    Opinion,
    PublicityList,
    Responsibility,
    ReviewAction,
    ReviewChain,
    ReviewLevel,
    ReviewStep,
    ScoreReview,
    SiteCheck,
)
# isort: on

__all__ = [
    "Application",
    "ApplicationState",
    "Attachment",
    "Batch",
    "CriteriaSet",
    "Criterion",
    "DepartmentLine",
    "EligibilityChange",
    "EligibilityResult",
    "Ladder",
    "LadderRung",
    "Level",
    "ManualAssessment",
    "Objection",
    "Opinion",
    "PoolEntry",
    "PoolQuota",
    "PoolRule",
    "PublicityList",
    "Recognition",
    "RecomputeDrain",
    "RecomputeRequest",
    "Responsibility",
    "ReviewAction",
    "ReviewChain",
    "ReviewLevel",
    "ReviewStep",
    "ScoreReview",
    "SiteCheck",
    "Tier",
    "Verdict",
]
