"""Ladders, tiers, criteria, eligibility, the pool and recognitions over REST, split by resource; urls import
the views from here. Thin: parse, authorise, call.
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
