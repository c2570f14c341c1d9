"""A generated province planned batch by batch from one seeded random generator, as plain tuples.

Rows are tuples of plain values (str, int, bool, date, aware datetime, None) in
the order of the *_COLUMNS below, so that tables.TableWriter can hand them to
the database without building a model instance or preparing each value through
its field. The draws happen in a fixed order — a batch's enterprises, then
their figures, recognitions, pool entries and applications — and every moment
is counted from the day the data is generated for, never from the clock, so a
seed and a date always give the same province.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass, field

from django.utils import timezone

from enterprises.credit_codes import with_check_character
from portal.models import Region
from seed.demo.generate import vocabulary as words
from tiers.models import ApplicationState, Batch, PoolEntry, Recognition, ReviewStep, Tier

ENTERPRISE_COLUMNS = (
    "id", "credit_code", "name", "region", "industry_code", "registered_on", "size_class", "is_listed",
    "is_above_scale", "main_products",
)  # fmt: skip
INDICATOR_COLUMNS = (
    "enterprise", "year", "operating_revenue", "main_business_revenue", "rd_expense", "total_assets",
    "total_liabilities", "net_profit", "high_tech_product_revenue", "employees", "rd_staff", "tech_staff",
    "ip_class1_count", "ip_class2_count", "invention_patents", "digital_level",
)  # fmt: skip
RECOGNITION_COLUMNS = (
    "enterprise", "tier", "recognized_on", "year", "batch", "certificate_no", "valid_until", "status", "revoked_on",
    "revoked_reason", "source",
)  # fmt: skip
POOL_COLUMNS = ("enterprise", "tier", "region", "stage", "origin", "reason", "entered_at", "left_at", "left_reason")
APPLICATION_COLUMNS = (
    "enterprise", "tier", "batch", "region", "state", "indicator_year", "statements", "submitted_at", "waiting_since",
    "current_step", "reviewing_region", "due_at", "decided_on",
)  # fmt: skip
REVIEWING_KINDS = {"county": ("county", "park"), "city": ("city",), "province": ("province",)}
DECIDED_STATES = (ApplicationState.GRANTED, ApplicationState.NOT_GRANTED, ApplicationState.REJECTED)


@dataclass(frozen=True)
class Weighted:
    """A weighted choice prepared once, since random.choices adds the weights up again on every call."""

    values: tuple
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs) -> "Weighted":
        values, weights = zip(*pairs, strict=True)
        return cls(values=values, cumulative=tuple(itertools.accumulate(weights)))

    def pick(self, generator: random.Random):
        # The very draw random.choices(values, weights)[0] makes, so a seed keeps giving the data it gave.
        total = self.cumulative[-1] + 0.0
        return self.values[bisect.bisect(self.cumulative, generator.random() * total, 0, len(self.values) - 1)]


@dataclass
class PlannedBatch:
    enterprises: list[tuple] = field(default_factory=list)
    indicators: list[tuple] = field(default_factory=list)
    recognitions: list[tuple] = field(default_factory=list)
    pool_entries: list[tuple] = field(default_factory=list)
    applications: list[tuple] = field(default_factory=list)


SIZES = Weighted.of(words.SIZE_CLASSES)
IP_CLASS1 = Weighted.of(words.IP_CLASS1_COUNTS)
INVENTIONS = Weighted.of(words.INVENTION_PATENTS)
DIGITAL = Weighted.of(words.DIGITAL_LEVELS)
STATES = Weighted.of(words.APPLICATION_STATES)


class RegisterPlanner:
    """Plans enterprises and what hangs off them; holds the generator the rest of the command draws from too."""

    def __init__(
        self,
        *,
        generator: random.Random,
        today: datetime.date,
        tiers: dict[str, Tier],
        leaves: list[Region],
        regions: dict[int, Region],
        batches: list[Batch],
        steps: dict[int, list[ReviewStep]],
    ) -> None:
        self.random = generator
        self.today = today
        # Midnight of the day: applications, reviews and pool moves all happened before it.
        self.moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        self.tiers = tiers
        self.leaves = Weighted(tuple(leaves), tuple(itertools.accumulate(generator.uniform(0.3, 3) for _ in leaves)))
        self.regions = regions
        self.batches = batches
        self.steps = steps
        self.offers = {prefix: self._offer(prefix) for prefix in {leaf.code[:2] for leaf in leaves}}
        self.reviewers: dict[tuple[int, str], Region] = {}

    def _offer(self, prefix: str) -> Weighted:
        codes = [code for code in (*words.NATIONAL_TIERS, *words.REGIONAL_TIERS.get(prefix, ())) if code in self.tiers]
        return Weighted.of((code, words.TIER_WEIGHTS.get(code, words.REGIONAL_TIER_WEIGHT)) for code in codes)

    def batch(self, first_id: int, size: int) -> PlannedBatch:
        planned = PlannedBatch()
        members = []
        for pk in range(first_id, first_id + size):
            region = self.leaves.pick(self.random)
            planned.enterprises.append(self.enterprise(pk, region))
            members.append((pk, region))
        for pk, _region in members:
            planned.indicators += self.indicators(pk)
        for pk, region in members:
            planned.recognitions += self.recognitions(pk, region)
        planned.pool_entries += filter(None, (self.pool_entry(pk, region) for pk, region in members))
        planned.applications += filter(None, (self.application(pk, region) for pk, region in members))
        return planned

    def enterprise(self, pk: int, region: Region) -> tuple:
        r = self.random
        code, word = r.choice(words.INDUSTRIES)
        size = SIZES.pick(r)
        place = region.short_name or region.name[:2]
        name = f"{place}{r.choice(words.BRANDS)}{word}{r.choice(words.SUFFIXES)}"
        registered_on = self.today - datetime.timedelta(days=r.randint(200, 9000))
        is_listed = r.random() < 0.004
        is_above_scale = size in ("medium", "large") or r.random() < 0.1
        credit_code = with_check_character(f"91{region.code[:6]}{words.MARKER}{pk:07d}")
        return (pk, credit_code, name, region.pk, code, registered_on, size, is_listed, is_above_scale, word)

    def indicators(self, pk: int) -> list[tuple]:
        """Three years of figures (万元) that grow or shrink together, as a real firm's do."""
        r = self.random
        uniform = r.uniform
        revenue = r.lognormvariate(8, 1.3)
        rows = []
        for year in range(self.today.year - 3, self.today.year):
            revenue *= uniform(0.85, 1.35)
            staff = max(3, int(revenue / uniform(40, 120)))
            rows.append(
                (
                    pk,
                    year,
                    f"{revenue:.2f}",
                    f"{revenue * uniform(0.6, 1):.2f}",
                    f"{revenue * uniform(0, 0.09):.2f}",
                    f"{revenue * uniform(0.5, 2.5):.2f}",
                    f"{revenue * uniform(0.1, 1.2):.2f}",
                    f"{revenue * uniform(-0.05, 0.15):.2f}",
                    f"{revenue * uniform(0, 0.8):.2f}",
                    staff,
                    int(staff * uniform(0, 0.25)),
                    int(staff * uniform(0, 0.35)),
                    IP_CLASS1.pick(r),
                    r.randint(0, 12),
                    INVENTIONS.pick(r),
                    DIGITAL.pick(r),
                )
            )
        return rows

    def recognitions(self, pk: int, region: Region) -> list[tuple]:
        r = self.random
        if r.random() > 0.16:
            return []
        offer = self.offers[region.code[:2]]
        chosen = {offer.pick(r) for _n in range(r.choice([1, 1, 1, 2, 3]))}
        return [self.recognition(pk, self.tiers[code]) for code in sorted(chosen)]

    def recognition(self, pk: int, tier: Tier) -> tuple:
        r = self.random
        recognized_on = self.today - datetime.timedelta(days=r.randint(20, 5 * 365))
        valid_until = None
        if tier.validity_years and not (recognized_on.month == 2 and recognized_on.day == 29):
            valid_until = recognized_on.replace(year=recognized_on.year + tier.validity_years)
            valid_until -= datetime.timedelta(days=1)
        status, revoked_on = Recognition.Status.VALID, None
        if valid_until and valid_until < self.today:
            status = Recognition.Status.EXPIRED
        elif r.random() < 0.04:
            status, revoked_on = Recognition.Status.REVOKED, self.today - datetime.timedelta(days=r.randint(1, 300))
        year = recognized_on.year
        return (
            pk,
            tier.pk,
            recognized_on,
            year,
            f"{year}年第{r.randint(1, 2)}批",
            f"DM{year}{pk:08d}{tier.pk:03d}",
            valid_until,
            status,
            revoked_on if revoked_on and revoked_on >= recognized_on else None,
            "复核未通过（演示数据）" if status == Recognition.Status.REVOKED else "",
            Recognition.Source.ROSTER,
        )

    def pool_entry(self, pk: int, region: Region) -> tuple | None:
        r = self.random
        if r.random() > 0.07:
            return None
        entered = timezone.make_aware(
            datetime.datetime.combine(self.today - datetime.timedelta(days=r.randint(1, 700)), datetime.time(9))
        )
        left = entered + datetime.timedelta(days=r.randint(30, 400)) if r.random() < 0.15 else None
        # An entry planned to close after the day stays open, as it is on that day.
        left_at = left if left and left < self.moment else None
        tier = self.tiers[r.choice(words.POOL_TIERS)]
        stage = r.choice(PoolEntry.Stage.values)
        reason = "县（区）推荐（演示数据）"
        left_reason = "已认定（演示数据）" if left_at else ""
        return (pk, tier.pk, region.pk, stage, PoolEntry.Origin.MANUAL, reason, entered, left_at, left_reason)

    def application(self, pk: int, region: Region) -> tuple | None:
        r = self.random
        if not self.batches or r.random() > 0.05:
            return None
        batch = r.choice(self.batches)
        state = STATES.pick(r)
        submitted = None
        if state != ApplicationState.DRAFT:
            submitted = self.moment - datetime.timedelta(days=r.randint(5, 200))
            if batch.year < self.today.year:
                submitted = timezone.make_aware(datetime.datetime(batch.year, r.randint(3, 11), r.randint(1, 28), 10))
        waiting = step = reviewing = due = decided = None
        steps = self.steps.get(batch.tier_id, [])
        if state in (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED) and steps:
            waiting = self.moment - datetime.timedelta(days=r.randint(1, 90))
            if state == ApplicationState.IN_REVIEW:
                step = r.choice(steps)
                reviewing = self.reviewer(region, step.level)
                due = waiting + datetime.timedelta(days=step.time_limit_days)
            else:
                reviewing = self.reviewer(region, "province")
        if state in DECIDED_STATES:
            decided = (submitted or self.moment).date() + datetime.timedelta(days=r.randint(10, 60))
        return (
            pk,
            batch.tier_id,
            batch.pk,
            region.pk,
            state,
            batch.year - 1,
            "企业自愿申报（演示数据）",
            submitted,
            waiting,
            step.pk if step else None,
            reviewing.pk if reviewing else None,
            due,
            decided,
        )

    def reviewer(self, region: Region, level: str) -> Region:
        """The nearest region at or above the enterprise's that reviews at this level."""
        key = (region.pk, level)
        if key not in self.reviewers:
            chain = [self.regions[pk] for pk in reversed(region.ancestors_and_self) if pk in self.regions]
            self.reviewers[key] = next((node for node in chain if node.kind in REVIEWING_KINDS[level]), region)
        return self.reviewers[key]
