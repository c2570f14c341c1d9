"""Applications (申报), their review chain, publicity (公示) and objections, and what reviewers add to them.

Models of the `tiers` app (their app label is "tiers"), split by sub-domain and imported here by name;
tiers.models re-exports them, so Django registers them with the app's other models.
"""

from tiers.applications.models.applications import (
    CLOSED_UNSUCCESSFUL,
    Application,
    ApplicationState,
    Attachment,
    Batch,
    ReviewAction,
    attachment_path,
)
from tiers.applications.models.chains import REVIEW_STEP_LABELS, ReviewChain, ReviewLevel, ReviewStep
from tiers.applications.models.publicity import Objection, PublicityList
from tiers.applications.models.review import (
    LINE_KEYWORDS,
    DepartmentLine,
    Opinion,
    Responsibility,
    ScoreReview,
    SiteCheck,
)

__all__ = [
    "CLOSED_UNSUCCESSFUL",
    "LINE_KEYWORDS",
    "REVIEW_STEP_LABELS",
    "Application",
    "ApplicationState",
    "Attachment",
    "Batch",
    "DepartmentLine",
    "Objection",
    "Opinion",
    "PublicityList",
    "Responsibility",
    "ReviewAction",
    "ReviewChain",
    "ReviewLevel",
    "ReviewStep",
    "ScoreReview",
    "SiteCheck",
    # Migration 0003 names the upload path as tiers.applications.models.attachment_path.
    "attachment_path",
]
