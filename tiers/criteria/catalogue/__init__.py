"""The official criteria as data, transcribed from shared/reference/criteria.md, one module per ladder.

Each set is (code, tier code, name, purpose, effective from, source, note,
criteria); each criterion is a node (see tiers.criteria.nodes) with a status
(confirmed / partial / unconfirmed) copied from criteria.md. Where the register
has no field for a condition (细分市场年限, 市场占有率, 链, 品 …) the condition is
a staff-confirmed fact (kind manual, or metric fn "fact"), keyed so that the
2022 and 2026 sets share one answer.

Band edges: "X以上" is ≥ X and "X–Y" is [X, Y) (criteria.md §0); where a document
writes "(含)" the band says so with max_inclusive.

The ladders' criteria live in tech, quality_sme, high_growth and above_scale,
written with the helpers of builders; sets lists the criteria sets, pool the
pool rules and quotas, fact_labels the staff-confirmed facts. The names are
re-exported here.
"""

from tiers.criteria.catalogue.above_scale import ABOVE_SCALE
from tiers.criteria.catalogue.fact_labels import FACT_LABELS
from tiers.criteria.catalogue.high_growth import NX_FLEDGLING, NX_GAZELLE
from tiers.criteria.catalogue.pool import POOL_QUOTAS, POOL_RULES
from tiers.criteria.catalogue.quality_sme import (
    INNOVATIVE_SME,
    LITTLE_GIANT_2022,
    LITTLE_GIANT_2026,
    SINGLE_CHAMPION,
    SRDI_2022,
    SRDI_2026,
)
from tiers.criteria.catalogue.sets import CRITERIA_SETS
from tiers.criteria.catalogue.tech import HIGH_TECH, TECH_SME

__all__ = [
    "ABOVE_SCALE",
    "CRITERIA_SETS",
    "FACT_LABELS",
    "HIGH_TECH",
    "INNOVATIVE_SME",
    "LITTLE_GIANT_2022",
    "LITTLE_GIANT_2026",
    "NX_FLEDGLING",
    "NX_GAZELLE",
    "POOL_QUOTAS",
    "POOL_RULES",
    "SINGLE_CHAMPION",
    "SRDI_2022",
    "SRDI_2026",
    "TECH_SME",
]
