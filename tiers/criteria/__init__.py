"""Criterion kinds and their evaluation: pure functions over plain data."""

from tiers.criteria.facts import Assessment, EnterpriseFacts
from tiers.criteria.nodes import MANUAL, MET, NOT_MET, UNKNOWN, Context, Evaluation, evaluate_node, evaluate_set

__all__ = [
    "MANUAL",
    "MET",
    "NOT_MET",
    "UNKNOWN",
    "Assessment",
    "Context",
    "EnterpriseFacts",
    "Evaluation",
    "evaluate_node",
    "evaluate_set",
]
