"""`python manage.py generate_demo --enterprises 100000`: a province-sized register for trying the portal at scale.

Set-based: rows are planned in memory from one seeded random generator and
written with bulk_create in batches (no per-row save, no per-row audit), then
the real set-based services compute what is derived: eligibility and the pool
(tiers.eligibility.recompute_eligibility), rewards owed
(incentives.services.compute_entitlements_for_rules) and the dashboard's
monthly snapshots. The same seed and date give the same data.

Generated enterprises are recognisable by "DM" in positions 9–10 of their credit
code (the organisation-code part); a second run leaves them alone unless
`--reset` removes them and everything hanging off them first.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from enterprises.credit_codes import with_check_character
from enterprises.models import AnnualIndicator, Enterprise
from incentives.models import Entitlement, EntitlementShare, Payment, ShareStatus
from portal.audit import audit_origin
from portal.models import DashboardSnapshot, Region
from tasks import periods
from tasks.models import Measure, TaskReport
from tiers.models import Application, ApplicationState, Batch, PoolEntry, Recognition, Tier

MARKER = "DM"
BATCH = 5000
REPORT_MARK = "【演示数据】"
NATIONAL_TIERS = ("tech-sme", "high-tech", "innovative-sme", "srdi-sme", "little-giant", "single-champion")
# Tiers issued by a province or city, offered to enterprises under that region's code prefix.
REGIONAL_TIERS = {
    "64": ("nx-fledgling", "nx-gazelle", "nx-industry-leader", "nx-innovation-demo"),
    "63": ("above-scale", "xn-backbone", "qh-tech-giant"),
    "15": ("eeds-city-innovative-sme", "eeds-city-srdi"),
    "65": (),
}
TIER_WEIGHTS = {
    "tech-sme": 30,
    "innovative-sme": 22,
    "high-tech": 18,
    "srdi-sme": 10,
    "little-giant": 1.5,
    "single-champion": 0.3,
}
POOL_TIERS = ("innovative-sme", "srdi-sme", "high-tech", "little-giant")
APPLICATION_TIERS = ("tech-sme", "high-tech", "innovative-sme", "srdi-sme", "little-giant")
APPLICATION_STATES = (
    (ApplicationState.DRAFT, 12),
    (ApplicationState.IN_REVIEW, 35),
    (ApplicationState.RETURNED, 8),
    (ApplicationState.RECOMMENDED, 10),
    (ApplicationState.GRANTED, 20),
    (ApplicationState.REJECTED, 10),
    (ApplicationState.NOT_GRANTED, 5),
)
BRANDS = (
    "瑞丰 恒泰 华宇 宏达 天元 鑫昌 嘉禾 博远 昊天 润泽 佳和 晟通 鼎盛 汇通 锦华 中昊 盛源 永康 泰和 祥瑞 丰源 凯达 金岳 "
    "塞上 黄河 贺兰 六盘 宁安 明珠 天瑞 华夏 昆仑 青湖 雪域 高原 草原 蒙源 东方 广源 金泰 兴业 宏图 伟业 利民 顺达 "
    "新源 中天 同心 正阳 亿利 博峰 天山 赛湖 精诚 云瀚 数源 星河 启航 众诚 德润 华信 远航 银河 国泰 宏盛 永信 汇丰"
).split()
INDUSTRIES = (
    ("C1513", "葡萄酒业"), ("C1522", "枸杞生物科技"), ("C1721", "绒纺"), ("C2614", "化工"), ("C2662", "新材料科技"),
    ("C2710", "生物医药"), ("C2929", "塑业"), ("C3011", "建材"), ("C3140", "冶金"), ("C3250", "合金材料"),
    ("C3484", "机械制造"), ("C3825", "光伏科技"), ("C3841", "锂电科技"), ("C3985", "电子材料"), ("I6450", "云计算"),
    ("I6510", "软件"), ("I6531", "信息技术"), ("M7452", "检测技术"), ("C1353", "肉食品"), ("C1440", "乳业"),
)  # fmt: skip
SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")


def generated_enterprises() -> QuerySet[Enterprise]:
    return Enterprise.objects.annotate(marker=Substr("credit_code", 9, 2)).filter(marker=MARKER)


class Command(BaseCommand):
    help = "Generate a province-sized demo register (enterprises, figures, recognitions, pool, applications, rewards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--as-of", dest="as_of", default="", help="The day the data is generated for (YYYY-MM-DD)")
        parser.add_argument("--reset", action="store_true", help="Remove previously generated data first")
        parser.add_argument("--skip-eligibility", action="store_true", help="Do not run the eligibility recompute")

    def handle(self, *args, **options) -> None:
        self.started = time.perf_counter()
        self.random = random.Random(options["seed"])
        self.today = datetime.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        with audit_origin("command:generate_demo"):
            if not Region.objects.filter(kind=Region.Kind.COUNTY).exists() or not Tier.objects.exists():
                call_command("load_policies", stdout=self.stdout)
            existing = generated_enterprises().count()
            if existing and not options["reset"]:
                self.stdout.write(f"{existing} generated enterprises already present; use --reset to generate again.")
                return
            if existing:
                self.reset()
            self.generate(options["enterprises"], skip_eligibility=options["skip_eligibility"])

    def step(self, label: str, count: int | str = "") -> None:
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f}s] {label} {count}".rstrip())

    # --- removal ---------------------------------------------------------------------

    def reset(self) -> None:
        enterprises = generated_enterprises().values("pk")
        with transaction.atomic():
            shares = EntitlementShare.objects.filter(entitlement__enterprise__in=enterprises)
            Payment.objects.filter(share__in=shares).delete()
            shares.delete()
            Entitlement.objects.filter(enterprise__in=enterprises).delete()
            Application.objects.filter(enterprise__in=enterprises).delete()
            TaskReport.objects.filter(narrative__startswith=REPORT_MARK).delete()
            DashboardSnapshot.objects.all().delete()
            for model in (AnnualIndicator, PoolEntry, Recognition):
                model.objects.filter(enterprise__in=enterprises).delete()
            count, _detail = Enterprise.objects.filter(pk__in=enterprises).delete()
        self.step("removed generated rows:", count)

    # --- generation ------------------------------------------------------------------

    def generate(self, total: int, *, skip_eligibility: bool) -> None:
        tiers = {tier.code: tier for tier in Tier.objects.all()}
        leaves = list(Region.objects.filter(kind__in=[Region.Kind.COUNTY, Region.Kind.PARK]).order_by("path"))
        weights = [self.random.uniform(0.3, 3) for _leaf in leaves]
        start = (Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        counts = dict.fromkeys(("enterprises", "indicators", "recognitions", "pool", "applications"), 0)
        batches = self.batches(tiers)
        for offset in range(0, total, BATCH):
            size = min(BATCH, total - offset)
            with transaction.atomic():
                planned = [
                    self.enterprise(start + offset + i, self.random.choices(leaves, weights)[0]) for i in range(size)
                ]
                enterprises = Enterprise.objects.bulk_create(planned, batch_size=1000)
                indicators = [row for enterprise in enterprises for row in self.indicators(enterprise)]
                AnnualIndicator.objects.bulk_create(indicators, batch_size=2000)
                recognitions = [row for enterprise in enterprises for row in self.recognitions(enterprise, tiers)]
                Recognition.objects.bulk_create(recognitions, batch_size=2000)
                pool = [row for enterprise in enterprises if (row := self.pool_entry(enterprise, tiers))]
                PoolEntry.objects.bulk_create(pool, batch_size=2000)
                applications = [row for enterprise in enterprises if (row := self.application(enterprise, batches))]
                Application.objects.bulk_create(applications, batch_size=2000)
            counts["enterprises"] += len(enterprises)
            counts["indicators"] += len(indicators)
            counts["recognitions"] += len(recognitions)
            counts["pool"] += len(pool)
            counts["applications"] += len(applications)
            self.step("enterprises", counts["enterprises"])
        self.step("written:", ", ".join(f"{key} {value}" for key, value in counts.items()))
        self.step("task reports", self.task_reports())
        self.rewards()
        if not skip_eligibility:
            from tiers.eligibility import recompute_eligibility

            summary = recompute_eligibility(on=self.today)
            self.step("eligibility results", summary.results)
        self.snapshots()
        self.step("done")

    def enterprise(self, number: int, region: Region) -> Enterprise:
        code, word = self.random.choice(INDUSTRIES)
        place = region.short_name or region.name[:2]
        size = self.random.choices(["micro", "small", "medium", "large"], [40, 35, 20, 5])[0]
        return Enterprise(
            credit_code=with_check_character(f"91{region.code[:6]}{MARKER}{number:07d}"),
            name=f"{place}{self.random.choice(BRANDS)}{word}{self.random.choice(SUFFIXES)}",
            region=region,
            industry_code=code,
            registered_on=self.today - datetime.timedelta(days=self.random.randint(200, 9000)),
            size_class=size,
            is_listed=self.random.random() < 0.004,
            is_above_scale=size in ("medium", "large") or self.random.random() < 0.1,
            main_products=word,
        )

    def indicators(self, enterprise: Enterprise) -> list[AnnualIndicator]:
        r = self.random
        revenue = r.lognormvariate(8, 1.3)
        rows = []
        for year in range(self.today.year - 3, self.today.year):
            revenue *= r.uniform(0.85, 1.35)
            staff = max(3, int(revenue / r.uniform(40, 120)))
            rows.append(
                AnnualIndicator(
                    enterprise=enterprise,
                    year=year,
                    operating_revenue=Decimal(f"{revenue:.2f}"),
                    main_business_revenue=Decimal(f"{revenue * r.uniform(0.6, 1):.2f}"),
                    rd_expense=Decimal(f"{revenue * r.uniform(0, 0.09):.2f}"),
                    total_assets=Decimal(f"{revenue * r.uniform(0.5, 2.5):.2f}"),
                    total_liabilities=Decimal(f"{revenue * r.uniform(0.1, 1.2):.2f}"),
                    net_profit=Decimal(f"{revenue * r.uniform(-0.05, 0.15):.2f}"),
                    high_tech_product_revenue=Decimal(f"{revenue * r.uniform(0, 0.8):.2f}"),
                    employees=staff,
                    rd_staff=int(staff * r.uniform(0, 0.25)),
                    tech_staff=int(staff * r.uniform(0, 0.35)),
                    ip_class1_count=r.choices([0, 1, 2, 5, 10], [50, 20, 15, 10, 5])[0],
                    ip_class2_count=r.randint(0, 12),
                    invention_patents=r.choices([0, 1, 3, 8], [60, 20, 15, 5])[0],
                    digital_level=r.choices([1, 2, 3, 4], [40, 35, 20, 5])[0],
                    sources={"generated": True},
                )
            )
        return rows

    def recognitions(self, enterprise: Enterprise, tiers: dict[str, Tier]) -> list[Recognition]:
        r = self.random
        if r.random() > 0.16:
            return []
        offered = [code for code in NATIONAL_TIERS] + list(REGIONAL_TIERS.get(enterprise.credit_code[2:4], ()))
        offered = [code for code in offered if code in tiers]
        weights = [TIER_WEIGHTS.get(code, 4) for code in offered]
        chosen = {r.choices(offered, weights)[0] for _n in range(r.choice([1, 1, 1, 2, 3]))}
        rows = []
        for code in sorted(chosen):
            tier = tiers[code]
            recognized_on = self.today - datetime.timedelta(days=r.randint(20, 5 * 365))
            valid_until = (
                recognized_on.replace(year=recognized_on.year + tier.validity_years) - datetime.timedelta(days=1)
                if tier.validity_years and not (recognized_on.month == 2 and recognized_on.day == 29)
                else None
            )
            status, revoked_on = Recognition.Status.VALID, None
            if valid_until and valid_until < self.today:
                status = Recognition.Status.EXPIRED
            elif r.random() < 0.04:
                status, revoked_on = Recognition.Status.REVOKED, self.today - datetime.timedelta(days=r.randint(1, 300))
            rows.append(
                Recognition(
                    enterprise=enterprise,
                    tier=tier,
                    recognized_on=recognized_on,
                    year=recognized_on.year,
                    batch=f"{recognized_on.year}年第{r.randint(1, 2)}批",
                    certificate_no=f"DM{recognized_on.year}{enterprise.pk:08d}{tier.pk:03d}",
                    valid_until=valid_until,
                    status=status,
                    revoked_on=revoked_on if revoked_on and revoked_on >= recognized_on else None,
                    revoked_reason="复核未通过（演示数据）" if status == Recognition.Status.REVOKED else "",
                    source=Recognition.Source.ROSTER,
                )
            )
        return rows

    def pool_entry(self, enterprise: Enterprise, tiers: dict[str, Tier]) -> PoolEntry | None:
        r = self.random
        if r.random() > 0.07:
            return None
        entered = timezone.make_aware(
            datetime.datetime.combine(self.today - datetime.timedelta(days=r.randint(1, 700)), datetime.time(9))
        )
        left = entered + datetime.timedelta(days=r.randint(30, 400)) if r.random() < 0.15 else None
        return PoolEntry(
            enterprise=enterprise,
            tier=tiers[r.choice(POOL_TIERS)],
            region=enterprise.region,
            stage=r.choice(PoolEntry.Stage.values),
            origin=PoolEntry.Origin.MANUAL,
            reason="县（区）推荐（演示数据）",
            entered_at=entered,
            left_at=left if left and left < timezone.now() else None,
            left_reason="已认定（演示数据）" if left else "",
        )

    def batches(self, tiers: dict[str, Tier]) -> list[Batch]:
        from tiers.applications.services import ensure_review_chain

        result = []
        for code in APPLICATION_TIERS:
            tier = tiers.get(code)
            if tier is None:
                continue
            ensure_review_chain(tier=tier)
            for year in (self.today.year - 1, self.today.year):
                batch, _created = Batch.objects.get_or_create(
                    tier=tier,
                    year=year,
                    name=f"{year}年第一批",
                    defaults={"opens_on": datetime.date(year, 3, 1), "closes_on": datetime.date(year, 12, 31)},
                )
                result.append(batch)
        self.steps = {batch.tier_id: list(batch.tier.review_chain.steps.order_by("position")) for batch in result}
        self.ancestors = {region.pk: region for region in Region.objects.all()}
        return result

    def application(self, enterprise: Enterprise, batches: list[Batch]) -> Application | None:
        r = self.random
        if not batches or r.random() > 0.05:
            return None
        batch = r.choice(batches)
        state = r.choices([state for state, _w in APPLICATION_STATES], [w for _s, w in APPLICATION_STATES])[0]
        now = timezone.now()
        submitted = now - datetime.timedelta(days=r.randint(5, 200)) if state != ApplicationState.DRAFT else None
        if batch.year < self.today.year and submitted:
            submitted = timezone.make_aware(datetime.datetime(batch.year, r.randint(3, 11), r.randint(1, 28), 10))
        application = Application(
            enterprise=enterprise,
            tier=batch.tier,
            batch=batch,
            region=enterprise.region,
            state=state,
            indicator_year=batch.year - 1,
            statements="企业自愿申报（演示数据）",
            submitted_at=submitted,
        )
        steps = self.steps.get(batch.tier_id, [])
        if state in (ApplicationState.IN_REVIEW, ApplicationState.RECOMMENDED) and steps:
            waiting = now - datetime.timedelta(days=r.randint(1, 90))
            application.waiting_since = waiting
            if state == ApplicationState.IN_REVIEW:
                step = r.choice(steps)
                application.current_step = step
                application.reviewing_region = self.reviewer(enterprise.region, step.level)
                application.due_at = waiting + datetime.timedelta(days=step.time_limit_days)
            else:
                application.reviewing_region = self.reviewer(enterprise.region, "province")
        if state in (ApplicationState.GRANTED, ApplicationState.NOT_GRANTED, ApplicationState.REJECTED):
            application.decided_on = (submitted or now).date() + datetime.timedelta(days=r.randint(10, 60))
        return application

    def reviewer(self, region: Region, level: str) -> Region:
        kinds = {"county": ("county", "park"), "city": ("city",), "province": ("province",)}[level]
        chain = [self.ancestors[pk] for pk in reversed(region.ancestors_and_self) if pk in self.ancestors]
        return next((node for node in chain if node.kind in kinds), region)

    def task_reports(self) -> int:
        r = self.random
        reports = []
        for measure in Measure.objects.select_related("policy").prefetch_related("unit_links"):
            lead = next((link for link in measure.unit_links.all() if link.is_lead), None)
            if lead is None:
                continue
            for period in periods.reportable_periods(measure.cycle, self.today, 4)[1:]:
                if r.random() < 0.3:
                    continue
                is_submitted = r.random() < 0.8
                reports.append(
                    TaskReport(
                        measure=measure,
                        department_id=lead.department_id,
                        period=period.label,
                        period_start=period.start,
                        period_end=period.end,
                        due_on=period.due_on,
                        is_consolidated=True,
                        narrative=f"{REPORT_MARK}本期推进情况：已完成阶段性任务，正在按计划推进。",
                        status=TaskReport.Status.SUBMITTED if is_submitted else TaskReport.Status.DRAFT,
                        submitted_at=(
                            timezone.make_aware(datetime.datetime.combine(period.due_on, datetime.time(15)))
                            if is_submitted
                            else None
                        ),
                    )
                )
        TaskReport.objects.bulk_create(reports, batch_size=1000, ignore_conflicts=True)
        return len(reports)

    def rewards(self) -> None:
        from incentives.services import compute_entitlements_for_rules

        created = compute_entitlements_for_rules(actor=None)
        self.step("entitlements", created)
        r = self.random
        payments, paid_ids = [], []
        for pk, amount, budget_year in (
            EntitlementShare.objects.filter(status=ShareStatus.DUE, budget_year__lt=self.today.year + 1)
            .order_by("pk")
            .values_list("pk", "amount", "budget_year")
        ):
            if r.random() < 0.55:
                paid_ids.append(pk)
                paid_on = datetime.date(budget_year, r.randint(4, 12), r.randint(1, 28))
                payments.append(
                    Payment(share_id=pk, amount=amount, paid_on=min(paid_on, self.today), voucher_no=f"DM-{pk}")
                )
        with transaction.atomic():
            Payment.objects.bulk_create(payments, batch_size=2000, ignore_conflicts=True)
            for offset in range(0, len(paid_ids), 5000):
                from django.db.models import F

                EntitlementShare.objects.filter(pk__in=paid_ids[offset : offset + 5000]).update(
                    approved_amount=F("amount"), paid_amount=F("amount"), status=ShareStatus.PAID
                )
        self.step("payments", len(payments))

    def snapshots(self) -> None:
        from portal.dashboard.services import record_dashboard_snapshots

        day = self.today.replace(day=1) - datetime.timedelta(days=1)
        ends = []
        for _month in range(12):
            ends.append(day)
            day = day.replace(day=1) - datetime.timedelta(days=1)
        for end in [*reversed(ends), self.today]:
            record_dashboard_snapshots(on=end)
        self.step("snapshots", len(ends) + 1)
