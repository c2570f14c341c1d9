"""What a working province shows besides its register: task reports, rewards paid, the dashboard's history."""

import datetime
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from incentives.models import EntitlementShare, Payment, ShareStatus
from seed.demo.generate.vocabulary import REPORT_MARK
from tasks import periods
from tasks.models import Measure, TaskReport

PAYMENTS_PER_UPDATE = 5000


def write_task_reports(*, generator: random.Random, today: datetime.date) -> int:
    """The lead department's consolidated report for most of each measure's last periods, most of them submitted."""
    r = generator
    reports = []
    for measure in Measure.objects.select_related("policy").prefetch_related("unit_links"):
        lead = next((link for link in measure.unit_links.all() if link.is_lead), None)
        if lead is None:
            continue
        for period in periods.reportable_periods(measure.cycle, today, 4)[1:]:
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


def owe_rewards() -> int:
    """Owe what the reward rules give for the recognitions on record, as the nightly catch-up would."""
    from incentives.services import compute_entitlements_for_rules

    return compute_entitlements_for_rules(actor=None)


@transaction.atomic
def pay_some_rewards(*, generator: random.Random, today: datetime.date) -> int:
    """Pay a little over half of the shares due by this year, in full, on a day of their budget year."""
    r = generator
    payments, paid_ids = [], []
    for pk, amount, budget_year in (
        EntitlementShare.objects.filter(status=ShareStatus.DUE, budget_year__lt=today.year + 1)
        .order_by("pk")
        .values_list("pk", "amount", "budget_year")
    ):
        if r.random() < 0.55:
            paid_ids.append(pk)
            paid_on = datetime.date(budget_year, r.randint(4, 12), r.randint(1, 28))
            payments.append(Payment(share_id=pk, amount=amount, paid_on=min(paid_on, today), voucher_no=f"DM-{pk}"))
    Payment.objects.bulk_create(payments, batch_size=2000, ignore_conflicts=True)
    for offset in range(0, len(paid_ids), PAYMENTS_PER_UPDATE):
        EntitlementShare.objects.filter(pk__in=paid_ids[offset : offset + PAYMENTS_PER_UPDATE]).update(
            approved_amount=F("amount"), paid_amount=F("amount"), status=ShareStatus.PAID
        )
    return len(payments)


def record_snapshots(*, today: datetime.date) -> int:
    """The dashboard's monthly history: the last day of each of the twelve months before, and the day itself."""
    from overview.dashboard.services import record_dashboard_snapshots

    day = today.replace(day=1) - datetime.timedelta(days=1)
    ends = []
    for _month in range(12):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    for end in [*reversed(ends), today]:
        record_dashboard_snapshots(on=end)
    return len(ends) + 1
