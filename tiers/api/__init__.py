"""The tiers API, split by resource (ladders and criteria, eligibility, the pool, recognitions); urls import
the views from here.
"""

from tiers.api.eligibility import EligibilityListView, EnterpriseEvaluationView
from tiers.api.ladders import CriteriaSetListView, LadderListView, TierListView
from tiers.api.pool import PoolEntryView, PoolLeaveView, PoolListView
from tiers.api.recognitions import RecognitionDetailView, RecognitionListView, RecognitionRevokeView

__all__ = [
    "CriteriaSetListView",
    "EligibilityListView",
    "EnterpriseEvaluationView",
    "LadderListView",
    "PoolEntryView",
    "PoolLeaveView",
    "PoolListView",
    "RecognitionDetailView",
    "RecognitionListView",
    "RecognitionRevokeView",
    "TierListView",
]
