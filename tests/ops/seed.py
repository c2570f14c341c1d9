"""Seed a deployment started by a test: `python -m tests.ops.seed <what>` prints JSON.

Run in the deployment's environment (PortalEnvironment.run), after migrate and
load_policies, so the regions and tiers are the real reference data.

    users          one account per role with an API token: {"username": {"id", "token"}}
    applications   N applications of 沙坡头区 enterprises waiting at the county step
    regions        enterprises, applications and recognitions in two sibling counties
    bulk           N enterprises with figures, written in bulk (for long recomputes)
"""

import argparse
import datetime
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.ops.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from enterprises.credit_codes import with_check_character  # noqa: E402
from enterprises.models import AnnualIndicator, Enterprise  # noqa: E402
from enterprises.tests.factories import AnnualIndicatorFactory, EnterpriseFactory  # noqa: E402
from portal.models import Department, Region, User  # noqa: E402
from tiers.applications import services as application_services  # noqa: E402
from tiers.applications.tests.factories import BatchFactory  # noqa: E402
from tiers.models import Tier  # noqa: E402
from tiers.services import grant_recognition  # noqa: E402

PASSWORD = "Topology-pass-2026"
ACCOUNTS = [
    # username, role, region code, is superuser
    ("ops_admin", "admin", None, True),
    ("ops_zw_leader", "leader", "640500", False),
    ("ops_zw_staff", "staff", "640500", False),
    ("ops_spt_staff", "staff", "640502", False),
    ("ops_spt_reviewer", "staff", "640502", False),
    ("ops_spt_reviewer2", "staff", "640502", False),
    ("ops_zn_staff", "staff", "640521", False),
    ("ops_zw_liaison", "liaison", "640500", False),
]


def seed_users() -> dict:
    accounts = {}
    for username, role, region_code, is_superuser in ACCOUNTS:
        region = Region.objects.get(code=region_code) if region_code else None
        department = Department.objects.filter(region=region).order_by("pk").first() if region else None
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "region": region,
                "department": department,
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        # Only the administrator logs in with a password (hashing is slow by design); the rest use tokens.
        if is_superuser:
            user.set_password(PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        token, _created = Token.objects.get_or_create(user=user)
        accounts[username] = {"id": user.pk, "token": token.key}
    return accounts


def _batch():
    tier = Tier.objects.get(code="little-giant")
    today = timezone.localdate()
    return BatchFactory(
        tier=tier,
        year=today.year,
        name=f"{today.year}年第{BatchFactory._meta.model.objects.count() + 1}批",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
    )


def _enterprise(region: Region, serial: int, prefix: str):
    enterprise = EnterpriseFactory(
        name=f"{region.name}{prefix}{serial}有限公司",
        credit_code=with_check_character(f"91{region.code[:6]}{7:1d}{serial:08d}"),
        region=region,
    )
    AnnualIndicatorFactory(enterprise=enterprise, year=timezone.localdate().year - 1, rd_expense=300)
    return enterprise


@transaction.atomic
def seed_applications(count: int) -> dict:
    """Applications submitted by 沙坡头区's staff, each waiting for the county's review."""
    staff = User.objects.get(username="ops_spt_staff")
    batch = _batch()
    ids = []
    for serial in range(count):
        enterprise = _enterprise(staff.region, 9000 + serial, "申报企业")
        draft = application_services.create_application(actor=staff, enterprise=enterprise, batch=batch)
        ids.append(application_services.submit_application(actor=staff, application=draft).pk)
    return {"applications": ids}


@transaction.atomic
def seed_regions() -> dict:
    """In each of 沙坡头区 and 中宁县: enterprises, an application at the county step and a recognition."""
    admin = User.objects.get(username="ops_admin")
    batch = _batch()
    tier = Tier.objects.get(code="srdi-sme")
    seeded = {}
    for code, username in (("640502", "ops_spt_staff"), ("640521", "ops_zn_staff")):
        region = Region.objects.get(code=code)
        staff = User.objects.get(username=username)
        enterprises = [_enterprise(region, 8000 + serial, "企业") for serial in range(3)]
        draft = application_services.create_application(actor=staff, enterprise=enterprises[0], batch=batch)
        application = application_services.submit_application(actor=staff, application=draft)
        recognition, _created = grant_recognition(
            actor=admin,
            enterprise=enterprises[1],
            tier=tier,
            recognized_on=datetime.date(2024, 6, 1),
            batch="2024年第一批",
        )
        seeded[code] = {
            "enterprises": [enterprise.pk for enterprise in enterprises],
            "applications": [application.pk],
            "recognitions": [recognition.pk],
            "batches": [batch.pk],
        }
    # Outside 宁夏 altogether: nobody but the administrator may ever see these names.
    outside = Region.objects.get(code="630100")
    seeded[outside.code] = {"enterprises": [_enterprise(outside, 8100 + serial, "企业").pk for serial in range(2)]}
    return seeded


@transaction.atomic
def seed_bulk(count: int) -> dict:
    """Many enterprises of 沙坡头区 with a year of figures, in two statements: enough for a recompute to take a while."""
    region = Region.objects.get(code="640502")
    year = timezone.localdate().year - 1
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=with_check_character(f"91640502{500_000_000 + serial:09d}"),
            name=f"沙坡头批量企业{serial}有限公司",
            region=region,
            industry_code="C3911",
            registered_on=datetime.date(2015, 5, 1),
            size_class=Enterprise.SizeClass.SMALL,
        )
        for serial in range(count)
    )
    AnnualIndicator.objects.bulk_create(
        AnnualIndicator(
            enterprise=enterprise,
            year=year,
            operating_revenue=1000 + serial * 7 % 9000,
            main_business_revenue=900 + serial * 7 % 8000,
            rd_expense=50 + serial % 400,
            employees=20 + serial % 300,
            rd_staff=2 + serial % 40,
        )
        for serial, enterprise in enumerate(enterprises)
    )
    return {"enterprises": len(enterprises)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["users", "applications", "regions", "bulk"])
    parser.add_argument("--count", type=int, default=4)
    options = parser.parse_args(argv)
    if options.what == "users":
        result = seed_users()
    elif options.what == "applications":
        result = seed_applications(options.count)
    elif options.what == "bulk":
        result = seed_bulk(options.count)
    else:
        result = seed_regions()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
