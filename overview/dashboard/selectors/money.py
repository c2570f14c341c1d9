"""The money section: rewards owed, approved and paid in the region."""

import datetime
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from incentives.models import Payment
from incentives.selectors import NOT_OWED, payment_list, shares_visible_to
from overview.dashboard.selectors.days import section
from portal.models import Region, User

MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0")


def _money(value) -> float:
    return float((value or ZERO).quantize(Decimal("0.01")))


def money_section(viewer: User, region: Region, as_of: datetime.date) -> dict:
    """Per funder: rewards owed to beneficiaries of the region (triggered by the date) against what was paid by then.

    Owed leaves out cancelled shares and those being clawed back (incentives.selectors.NOT_OWED);
    paid is payments less clawbacks dated on or before the day.
    """
    path = region.path
    owed_rows = (
        shares_visible_to(viewer)
        .filter(entitlement__beneficiary_region__path__startswith=path, entitlement__trigger_date__lte=as_of)
        .exclude(status__in=NOT_OWED)
        .values("funder_region_id", "funder_region__name", "funder_region__path")
        .annotate(owed=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))
        .order_by()
    )
    signed = Case(When(kind=Payment.Kind.CLAWBACK, then=-F("amount")), default=F("amount"), output_field=MONEY)
    paid_rows = (
        payment_list(viewer)
        .filter(paid_on__lte=as_of, share__entitlement__beneficiary_region__path__startswith=path)
        .values("share__funder_region_id", "share__funder_region__name", "share__funder_region__path")
        .annotate(paid=Coalesce(Sum(signed), Value(ZERO), output_field=MONEY))
        .order_by()
    )
    funders: dict[int, dict] = {}
    for row in owed_rows:
        funders[row["funder_region_id"]] = {
            "name": row["funder_region__name"],
            "path": row["funder_region__path"],
            "owed": row["owed"],
            "paid": ZERO,
        }
    for row in paid_rows:
        funder = funders.setdefault(
            row["share__funder_region_id"],
            {"name": row["share__funder_region__name"], "path": row["share__funder_region__path"], "owed": ZERO},
        )
        funder["paid"] = row["paid"]
    rows = [
        [funder["name"], _money(funder["owed"]), _money(funder["paid"]), _money(funder["owed"] - funder["paid"])]
        for funder in sorted(funders.values(), key=lambda item: item["path"])
    ]
    columns = [_("Funder"), _("Owed (10k yuan)"), _("Paid (10k yuan)"), _("Outstanding (10k yuan)")]
    return section("money", _("Rewards owed and paid"), columns, rows, chart={"type": "bar", "x": 0, "series": [1, 2]})


# --- Tasks -----------------------------------------------------------------------------
