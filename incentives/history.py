"""What an enterprise's past says about a reward: its 规上 periods, earlier recognitions, revocations, yearly figures.

Pure reads, loaded in a fixed number of queries for a batch of enterprises.
The documents' words are evaluated here on the whole history, whatever date
the earlier period or recognition has (before the policy started or after):

- 西宁 升规 “不包含已退库再次入库企业”: an enterprise that was 规上 before and
  left (退库) is not a new 规上 enterprise when it comes back;
- “新认定”: an enterprise that held the tier before (renewed, re-certified, or
  revoked and recognised again) is not newly recognised;
- “已认定和新认定”: a holder valid on the policy date counts once, and so does a
  new recognition; never both (one entitlement per enterprise).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from enterprises.models import AboveScalePeriod, AnnualIndicator
from incentives.models import RewardRule, Trigger
from tiers.models import Recognition

INDICATOR_LABELS = {"tax_paid": "纳税总额"}


@dataclass
class EnterpriseHistory:
    """规上 periods per enterprise and recognitions per (enterprise, tier), oldest first."""

    periods: dict[int, list[AboveScalePeriod]] = field(default_factory=lambda: defaultdict(list))
    recognitions: dict[tuple[int, int], list[Recognition]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, enterprise_ids: set[int], tier_ids: set[int]) -> "EnterpriseHistory":
        history = cls()
        if not enterprise_ids:
            return history
        for period in AboveScalePeriod.objects.filter(enterprise_id__in=enterprise_ids).order_by("entered_on"):
            history.periods[period.enterprise_id].append(period)
        rows = Recognition.objects.filter(enterprise_id__in=enterprise_ids, tier_id__in=tier_ids).order_by(
            "recognized_on", "pk"
        )
        for recognition in rows:
            history.recognitions[(recognition.enterprise_id, recognition.tier_id)].append(recognition)
        return history

    def earlier_recognitions(self, *, enterprise_id: int, tier_id: int, before: datetime.date, exclude_pk=None):
        return [
            recognition
            for recognition in self.recognitions.get((enterprise_id, tier_id), [])
            if recognition.recognized_on < before and recognition.pk != exclude_pk
        ]


def refusal(
    rule: RewardRule,
    history: EnterpriseHistory,
    *,
    enterprise_id: int,
    on: datetime.date,
    recognition_id: int | None = None,
) -> str | None:
    """Why the enterprise's history rules the reward out (in Chinese, as the document words it), or None."""
    if rule.trigger == Trigger.ABOVE_SCALE:
        for period in history.periods.get(enterprise_id, []):
            if period.entered_on < on and period.left_on is not None and period.left_on <= on:
                return f"已退库再次入库企业（前次规上 {period.entered_on}—{period.left_on}），不计为新增规上企业"
            if period.entered_on < (rule.window_start or rule.effective_from):
                # The same stretch as `on`, begun before the policy: not 新增 under it.
                return f"{period.entered_on} 起已是规上企业，不是新增"
    if rule.holders == RewardRule.Holders.NEW_ONLY and rule.tier_id:
        earlier = history.earlier_recognitions(
            enterprise_id=enterprise_id, tier_id=rule.tier_id, before=on, exclude_pk=recognition_id
        )
        if earlier:
            first = earlier[0]
            revoked = f"（{first.revoked_on} 撤销）" if first.status == Recognition.Status.REVOKED else ""
            return f"{first.recognized_on} 已认定过{rule.tier.name}{revoked}，不是新认定"
    return None


@dataclass(frozen=True)
class DataCap:
    """A cap from the enterprise's yearly figures: the sum, its arithmetic, or which years are missing."""

    amount: Decimal | None
    text: str

    @property
    def is_missing(self) -> bool:
        return self.amount is None


def cap_years(rule: RewardRule, on: datetime.date) -> list[int]:
    """The full years before the trigger's year: 2024 → 2021, 2022, 2023 for a three-year cap."""
    count = rule.cap_years or 1
    return list(range(on.year - count, on.year))


def data_cap(rule: RewardRule, enterprise_id: int | None, on: datetime.date) -> DataCap | None:
    """The cap `rule.cap_indicator` sets for the enterprise, or None when the rule has no such cap."""
    if not rule.cap_indicator:
        return None
    label = INDICATOR_LABELS.get(rule.cap_indicator, rule.cap_indicator)
    years = cap_years(rule, on)
    if enterprise_id is None:
        return DataCap(None, f"待补充数据：无企业，无法取{label}")
    values = dict(
        AnnualIndicator.objects.filter(enterprise_id=enterprise_id, year__in=years).values_list(
            "year", rule.cap_indicator
        )
    )
    missing = [year for year in years if values.get(year) is None]
    if missing:
        return DataCap(None, "待补充数据：缺 " + "、".join(f"{year}年" for year in missing) + label)
    total = sum((values[year] for year in years), Decimal("0"))
    terms = " + ".join(f"{year}年 {format(values[year].normalize(), 'f')}" for year in years)
    return DataCap(total, f"不高于{len(years)}年累计{label}：{terms} = {format(total.normalize(), 'f')} 万元")
