"""Beside the demo data, one record of each kind the demo leaves empty, made through the services,
so that the crawl opens a detail page of every kind: a batch, a draft and a submitted
application, a pool entry, a service visit and a liaison's submitted report."""

import datetime

from django.utils import timezone

from enterprises.models import Enterprise
from portal.models import User
from tasks import periods
from tasks import services as task_services
from tasks.models import MeasureUnit
from tiers import services as tier_services
from tiers.applications.services import applications as application_services
from tiers.applications.services import chains, review
from tiers.models import Tier


def seed_one_of_each() -> None:
    admin = User.objects.get(username="admin")
    staff = User.objects.get(username="spt_staff")
    today = timezone.localdate()
    enterprises = list(Enterprise.objects.filter(region__name="沙坡头区").order_by("pk")[:2])
    tier = Tier.objects.filter(code="srdi-sme").first() or Tier.objects.order_by("pk").first()
    batch = chains.create_batch(
        actor=admin,
        tier=tier,
        year=today.year,
        name=f"{today.year}年第一批",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=25),
    )
    application_services.create_application(
        actor=staff, enterprise=enterprises[0], batch=batch, statements="企业承诺所填信息真实有效。"
    )
    submitted = application_services.create_application(
        actor=staff, enterprise=enterprises[1], batch=batch, statements="企业承诺所填信息真实有效。"
    )
    review.submit_application(actor=staff, application=submitted)
    tier_services.add_to_pool(actor=staff, enterprise=enterprises[0], tier=tier, reason="研发投入增长快，重点培育。")
    task_services.log_visit(
        actor=staff,
        enterprise=enterprises[0],
        visited_on=today,
        problems_raised="融资需求",
        problems_solved="对接银行",
        policy_notes="讲解专精特新政策",
    )
    liaison = User.objects.get(username="zw_kjj_liaison")
    link = MeasureUnit.objects.filter(department=liaison.department).select_related("measure").first()
    if link is not None:
        period = periods.period_containing(link.measure.cycle, today)
        task_services.save_report(
            actor=liaison,
            measure=link.measure,
            department=liaison.department,
            period=period.label,
            narrative="本季度走访企业12家，新增入库企业3家。",
            submit=True,
        )
