"""Who meets which tier: loading facts, choosing criteria sets, storing results, snapshotting an application."""

from tiers.eligibility.book import CompiledSet, CriteriaBook, TierEvaluation
from tiers.eligibility.loading import facts_for_enterprise, stream_facts
from tiers.eligibility.recompute import RecomputeSummary, evaluate_enterprise, recompute_eligibility

__all__ = [
    "CompiledSet",
    "CriteriaBook",
    "RecomputeSummary",
    "TierEvaluation",
    "evaluate_enterprise",
    "facts_for_enterprise",
    "recompute_eligibility",
    "stream_facts",
]
