"""Facts for the evaluation, loaded two ways.

`facts_for_enterprise` is the straightforward path (a handful of queries for one
enterprise); `stream_facts` is the set-based path: six streaming queries for any
number of enterprises, merged by enterprise id in Python.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from enterprises.models import AnnualIndicator, ComplianceCoverage, ComplianceRecord, Enterprise
from tiers.criteria import Assessment, EnterpriseFacts
from tiers.criteria.facts import INDICATOR_FIELDS, ComplianceFact
from tiers.eligibility.book import YEAR_OFFSETS
from tiers.models import ManualAssessment, Recognition

CHUNK = 2000


def years_for(on: datetime.date) -> list[int]:
    return [on.year + offset for offset in YEAR_OFFSETS]


def _number(value) -> float | None:
    """A stored figure as the evaluation reads it: rounded to 0.01 (万元 for money) at every door.

    SQLite keeps whatever digits were written, PostgreSQL rounds to the column's two
    decimals; rounding here makes the stored verdict (streamed) and the live one
    (read through the ORM) see the same figure on either database.
    """
    return None if value is None else round(float(value), 2)


COMPLIANCE_FIELDS = ("kind", "category", "is_major", "listed_on", "removed_on", "authority", "document_number")


def covered_region_paths() -> tuple[str, ...]:
    """Paths of the regions whose compliance data was imported; an enterprise below one of them is covered."""
    return tuple(ComplianceCoverage.objects.values_list("region__path", flat=True))


def facts_for_enterprise(enterprise: Enterprise, *, on: datetime.date) -> EnterpriseFacts:
    """The facts of one enterprise, read through its relations (six queries)."""
    facts = EnterpriseFacts(
        enterprise_id=enterprise.pk,
        registered_on=enterprise.registered_on,
        industry_code=enterprise.industry_code,
        size_class=enterprise.size_class,
        region_path=enterprise.region.path,
    )
    for row in AnnualIndicator.objects.filter(enterprise=enterprise, year__in=years_for(on)):
        facts.indicators[row.year] = {name: _number(getattr(row, name)) for name in INDICATOR_FIELDS}
    for recognition in Recognition.objects.filter(
        enterprise=enterprise, status=Recognition.Status.VALID
    ).select_related("tier"):
        facts.recognitions.append((recognition.tier.code, recognition.recognized_on, recognition.valid_until))
    for assessment in ManualAssessment.objects.filter(enterprise=enterprise):
        facts.assessments[assessment.key] = Assessment(
            assessment.is_met, _number(assessment.value), assessment.valid_until
        )
    records = ComplianceRecord.objects.filter(enterprise=enterprise).values_list(*COMPLIANCE_FIELDS)
    facts.compliance = [ComplianceFact(*row) for row in records]
    covered = covered_region_paths()
    facts.compliance_covered = bool(covered) and facts.region_path.startswith(covered)
    return facts


class Grouped:
    """Rows sorted by enterprise id, handed out one enterprise at a time."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self.rows = iter(rows)
        self.head = next(self.rows, None)

    def take(self, enterprise_id: int) -> list[tuple]:
        taken = []
        while self.head is not None and self.head[0] <= enterprise_id:
            if self.head[0] == enterprise_id:
                taken.append(self.head)
            self.head = next(self.rows, None)
        return taken


def stream_facts(
    *, on: datetime.date, enterprise_ids: "list[int] | QuerySet | None" = None
) -> Iterator[EnterpriseFacts]:
    """Facts for every enterprise (or the given ones), in id order, from six streaming queries.

    `enterprise_ids` may be a queryset of ids (a subquery): the number of
    parameters then stays the same however many enterprises it names.
    """
    enterprises = Enterprise.objects.order_by("pk")
    indicators = AnnualIndicator.objects.filter(year__in=years_for(on)).order_by("enterprise_id", "year")
    recognitions = Recognition.objects.filter(status=Recognition.Status.VALID).order_by("enterprise_id")
    assessments = ManualAssessment.objects.order_by("enterprise_id")
    records = ComplianceRecord.objects.order_by("enterprise_id")
    if enterprise_ids is not None:
        records = records.filter(enterprise_id__in=enterprise_ids)
        enterprises = enterprises.filter(pk__in=enterprise_ids)
        indicators = indicators.filter(enterprise_id__in=enterprise_ids)
        recognitions = recognitions.filter(enterprise_id__in=enterprise_ids)
        assessments = assessments.filter(enterprise_id__in=enterprise_ids)
    # The database hands over floats: no Decimal per figure (money has two decimals and at most
    # 14 digits, so the float is the one float(Decimal) would give).
    as_floats = [Cast(name, FloatField()) for name in INDICATOR_FIELDS]
    indicator_rows = Grouped(indicators.values_list("enterprise_id", "year", *as_floats).iterator(chunk_size=CHUNK))
    recognition_rows = Grouped(
        recognitions.values_list("enterprise_id", "tier__code", "recognized_on", "valid_until").iterator(
            chunk_size=CHUNK
        )
    )
    assessment_rows = Grouped(
        assessments.values_list("enterprise_id", "key", "is_met", "value", "valid_until").iterator(chunk_size=CHUNK)
    )
    record_rows = Grouped(records.values_list("enterprise_id", *COMPLIANCE_FIELDS).iterator(chunk_size=CHUNK))
    covered = covered_region_paths()
    for pk, registered_on, industry_code, size_class, region_path in enterprises.values_list(
        "pk", "registered_on", "industry_code", "size_class", "region__path"
    ).iterator(chunk_size=CHUNK):
        facts = EnterpriseFacts(pk, registered_on, industry_code, size_class, region_path)
        for row in indicator_rows.take(pk):
            facts.indicators[row[1]] = {
                name: _number(value) for name, value in zip(INDICATOR_FIELDS, row[2:], strict=True)
            }
        facts.recognitions = [(code, start, until) for _pk, code, start, until in recognition_rows.take(pk)]
        for _pk, key, is_met, value, valid_until in assessment_rows.take(pk):
            facts.assessments[key] = Assessment(is_met, _number(value), valid_until)
        facts.compliance = [ComplianceFact(*row[1:]) for row in record_rows.take(pk)]
        facts.compliance_covered = bool(covered) and region_path.startswith(covered)
        yield facts
