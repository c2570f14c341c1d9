"""The shape every document's reward rules share: the document they come from (PolicyKey), one rule as data
(RuleSpec), and short names for the funder levels and holder choices the rule tables use."""

import datetime
from dataclasses import dataclass, field

from incentives.models import FunderLevel, RewardRule, Trigger

PROVINCE, CITY, COUNTY = FunderLevel.PROVINCE, FunderLevel.CITY, FunderLevel.COUNTY
NEW_ONLY, EXISTING = RewardRule.Holders.NEW_ONLY, RewardRule.Holders.EXISTING_AND_NEW


@dataclass(frozen=True)
class PolicyKey:
    code: str
    filename: str
    document_number: str
    region_code: str
    effective_from: datetime.date


@dataclass(frozen=True)
class RuleSpec:
    code: str
    policy: PolicyKey
    article: str
    # A phrase of the article's text that picks the right measure when numbers repeat across sections.
    anchor: str
    name: str
    clause: str
    trigger: str = Trigger.RECOGNITION
    tier: str | None = None
    prerequisite_tier: str | None = None
    event_code: str = ""
    threshold_count: int | None = None
    amount: str | None = None
    is_cap: bool = False
    percentage: str | None = None
    max_amount: str | None = None
    funders: tuple[tuple[str, str], ...] = ()
    beneficiary: str = RewardRule.Beneficiary.ENTERPRISE
    holders: str = NEW_ONLY
    window: tuple[datetime.date, datetime.date] | None = None
    budget_lag_years: int = 0
    recurrence: str = RewardRule.Recurrence.ONE_TIME
    once_per_enterprise: bool = True
    tranche_percents: tuple[int, ...] = field(default_factory=tuple)
    # True where the document does not state who pays: the split is 推定 until finance confirms it.
    funders_presumed: bool = False
    cap_indicator: str = ""
    cap_years: int | None = None
    notes: str = ""

    @property
    def is_monetary(self) -> bool:
        return self.amount is not None or self.percentage is not None
