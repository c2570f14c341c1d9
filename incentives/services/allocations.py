"""Budget allocations: what each funder has set aside for rewards per year, entered or imported from Excel."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.roster.reading import read_sheet
from incentives.models import FundAllocation
from incentives.services.calculation import plain
from portal.audit import record_event, update_audited
from portal.exceptions import ConcurrentEditError, ServiceError
from portal.models import AuditEvent, Region, User

# Accepted headers of the import sheet, normalised (spaces dropped, brackets kept out).
HEADERS = {
    "funder": ("出资方", "资金承担方", "财政", "地区", "出资地区"),
    "year": ("年度", "预算年度", "年份"),
    "amount": ("预算额度", "额度", "安排资金", "预算金额", "金额"),
    "note": ("备注", "说明"),
}
TEMPLATE_HEADER = ("出资方", "年度", "预算额度（万元）", "备注")
MAX_ROWS = 2000
MAX_AMOUNT = Decimal("1000000000000")  # the column holds 12 digits before the point


class AllocationImportRefused(ServiceError):
    """The sheet has bad rows; nothing was imported. `errors` lists each row's problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors[:50]), code="rows")
        self.errors = errors


def check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year + 5:
        raise ServiceError(
            _("The budget year %(year)s is out of range (2000 to %(last)s).") % {"year": year, "last": this_year + 5},
            code="year",
        )


@transaction.atomic
def set_allocation(
    *,
    actor: User | None,
    funder_region: Region,
    year: int,
    amount: Decimal,
    note: str = "",
    expected_version: int | None = None,
) -> FundAllocation:
    """Set a funder's allocation for a year. `expected_version` 0 means "I saw none"; a stale one is refused."""
    check_year(year)
    if amount is None or not Decimal("0") <= amount < MAX_AMOUNT:
        raise ServiceError(_("The allocated amount must be 0 or more (万元)."), code="amount")
    allocation, created = FundAllocation.objects.select_for_update().get_or_create(
        funder_region=funder_region, year=year, defaults={"amount": amount, "note": note[:300]}
    )
    if not created and expected_version is not None and allocation.version != expected_version:
        raise ConcurrentEditError(
            _("Someone else changed the allocation of %(funder)s for %(year)s in the meantime. Please reload.")
            % {"funder": funder_region.name, "year": year}
        )
    if created and expected_version not in (None, 0):
        raise ConcurrentEditError(_("The allocation you edited no longer exists. Please reload."))
    updated_by = actor if actor and actor.pk else None
    if created:
        allocation.updated_by = updated_by
        allocation.save()
        record_event(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=allocation,
            region=funder_region,
            changes={"amount": [None, plain(amount)]},
            note=note,
        )
        return allocation
    if allocation.amount == amount and allocation.note == note[:300]:
        return allocation
    update_audited(
        allocation,
        actor=actor,
        values={"amount": amount, "note": note[:300], "updated_by": updated_by},
        changes={"amount": [plain(allocation.amount), plain(amount)]},
        region=funder_region,
        note=note,
    )
    return allocation


@dataclass(frozen=True)
class AllocationRow:
    row: int
    funder: Region
    year: int
    amount: Decimal
    note: str


def _header_positions(header: list) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        text = "".join(str(cell or "").split())
        text = text.split("（")[0].split("(")[0]
        for key, aliases in HEADERS.items():
            if text in aliases and key not in positions:
                positions[key] = position
    return positions


def parse_allocation_sheet(
    data: bytes, *, file_name: str, funders: dict[str, Region]
) -> tuple[list[AllocationRow], list[str]]:
    """Rows of an allocation sheet and the errors found (in Chinese, each naming the row and column).

    `funders` maps the names and codes the importer may use to the regions they may set.
    """
    sheet = read_sheet(data, file_name=file_name)
    rows = [row for row in sheet.rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise ServiceError(_("The file has no rows."), code="file")
    if len(rows) > MAX_ROWS + 1:
        raise ServiceError(
            _("An allocation sheet holds at most %(limit)s rows, one per funder and year.") % {"limit": MAX_ROWS},
            code="file",
        )
    positions = _header_positions(rows[0])
    missing = [TEMPLATE_HEADER[index] for index, key in enumerate(("funder", "year", "amount")) if key not in positions]
    if missing:
        raise ServiceError(
            _("The header row lacks the column(s): %(columns)s.") % {"columns": "、".join(missing)}, code="file"
        )
    parsed: list[AllocationRow] = []
    errors: list[str] = []
    seen: dict[tuple[int, int], int] = {}

    def cell(row: list, key: str):
        position = positions.get(key)
        return row[position] if position is not None and position < len(row) else None

    for number, row in enumerate(rows[1:], start=2):
        row_errors = []
        name = str(cell(row, "funder") or "").strip()
        funder = funders.get(name)
        if not name:
            row_errors.append(_("row %(row)s, column 出资方: empty") % {"row": number})
        elif funder is None:
            row_errors.append(
                _("row %(row)s, column 出资方: “%(name)s” is not a funder you may budget for")
                % {"row": number, "name": name}
            )
        year_text = str(cell(row, "year") or "").strip().removesuffix("年").removesuffix(".0")
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
        if year is None:
            row_errors.append(
                _("row %(row)s, column 年度: “%(value)s” is not a year") % {"row": number, "value": year_text}
            )
        else:
            try:
                check_year(year)
            except ServiceError as error:
                row_errors.append(_("row %(row)s, column 年度: %(reason)s") % {"row": number, "reason": error.message})
        raw_amount = str(cell(row, "amount") if cell(row, "amount") is not None else "").replace(",", "").strip()
        try:
            amount = Decimal(raw_amount).quantize(Decimal("0.01"))
            if not Decimal("0") <= amount < MAX_AMOUNT:
                raise InvalidOperation
        except InvalidOperation:
            amount = None
            row_errors.append(
                _("row %(row)s, column 预算额度: “%(value)s” is not an amount of 0 or more (万元)")
                % {"row": number, "value": raw_amount}
            )
        if funder is not None and year is not None:
            if (funder.pk, year) in seen:
                row_errors.append(
                    _("row %(row)s: %(funder)s %(year)s is already given in row %(first)s")
                    % {"row": number, "funder": funder.name, "year": year, "first": seen[(funder.pk, year)]}
                )
            seen.setdefault((funder.pk, year), number)
        if row_errors:
            errors += row_errors
            continue
        assert funder is not None and year is not None and amount is not None  # each is None only with a row error
        parsed.append(AllocationRow(number, funder, year, amount, str(cell(row, "note") or "").strip()))
    return parsed, errors


@transaction.atomic
def import_allocations(
    *, actor: User | None, data: bytes, file_name: str, funders: dict[str, Region]
) -> list[FundAllocation]:
    """Import allocations from an Excel sheet: all rows or none. A sheet with any bad row changes nothing."""
    rows, errors = parse_allocation_sheet(data, file_name=file_name, funders=funders)
    if errors:
        raise AllocationImportRefused(errors)
    if not rows:
        raise ServiceError(_("The file has no allocation rows."), code="file")
    return [
        set_allocation(actor=actor, funder_region=row.funder, year=row.year, amount=row.amount, note=row.note)
        for row in rows
    ]
