"""The shortlist behind a target's path: the candidates by name, with their gaps, for the page, API and Excel.

The figures come from tasks.paths (one definition, also behind the `path` of
`/api/v1/targets/`); this module only names the enterprises and words the rows.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from enterprises.models import Enterprise
from overview.dashboard.permissions import can_view_dashboard
from portal.models import User
from tasks import paths
from tasks.figures import SCOPE_INCOMPLETE, TargetFigure, target_figures
from tasks.models import Inference, MeasureUnit, Target
from tasks.selectors import inferences_for, targets_visible_to
from tiers.applications.models import ApplicationState
from tiers.criteria.nodes import NOT_MET
from tiers.eligibility.live import gaps_for_results
from tiers.models import EligibilityResult, PoolEntry

RATE_RULE = paths.RATE_RULE


@dataclass
class ShortlistRow:
    enterprise: Enterprise
    candidate: paths.Candidate
    tier_name: str
    gaps: list[str] = field(default_factory=list)

    @property
    def source_label(self) -> str:
        return str(paths.SOURCE_LABELS[self.candidate.source])

    @property
    def standing(self) -> str:
        """Where the enterprise stands in its source: the application's state, the criteria missed, the pool stage."""
        candidate = self.candidate
        if candidate.source == paths.APPLICATION:
            return str(ApplicationState(candidate.application_state).label)
        if candidate.source == paths.NEAR:
            return _("Misses %(count)s") % {"count": candidate.missing_count}
        if candidate.source == paths.POOL and candidate.pool_stage:
            return str(PoolEntry.Stage(candidate.pool_stage).label)
        return ""

    @property
    def note(self) -> str:
        if self.candidate.held_before:
            return _("Held the tier at the start of the period: a new recognition would not count as new")
        return ""

    def cells(self) -> list:
        return [
            self.enterprise.name,
            self.enterprise.credit_code,
            self.enterprise.region.name,
            self.source_label,
            self.tier_name,
            self.standing,
            "；".join(self.gaps),
            self.note,
        ]


@dataclass
class Shortlist:
    target: Target
    as_of: datetime.date
    current: object
    path: paths.TargetPath | None
    rows: list[ShortlistRow]
    lead_units: list[MeasureUnit]
    figure: TargetFigure | None = None
    lead_rule: str = ""  # the loader's rule when the lead unit is inferred (推定), not named by the document

    @property
    def source_lines(self) -> list[dict]:
        """One line per source: its candidates, its rate and what it adds to the expected figure."""
        if self.path is None:
            return []
        lines = []
        for source in paths.SOURCES:
            rate = self.path.rates[source]
            count = self.path.counts[source]
            lines.append(
                {
                    "source": source,
                    "label": str(paths.SOURCE_LABELS[source]),
                    "count": count,
                    "rate": rate,
                    "adds": round(float(count * rate.value), 1) if rate.value is not None else None,
                }
            )
        return lines


SHORTLIST_COLUMNS = (
    gettext_noop("Enterprise"),
    gettext_noop("Unified social credit code"),
    gettext_noop("Region"),
    gettext_noop("Where it can come from"),
    gettext_noop("Tier"),
    gettext_noop("Standing"),
    gettext_noop("Gaps"),
    gettext_noop("Note"),
)


def shortlist_columns() -> list[str]:
    return [_(name) for name in SHORTLIST_COLUMNS]


def target_for_path(user: User, key: str) -> Target | None:
    """The target by key when the user may read its region's dashboard; otherwise None (a 404, like a missing one)."""
    target = targets_visible_to(user).filter(key=key).first()
    if target is None or not can_view_dashboard(user, target.region):
        return None
    return target


def target_shortlist(target: Target, *, as_of: datetime.date) -> Shortlist:
    """The target's path and every candidate by name. A fixed number of queries.

    The page works the path out for any unmet target still running (a leader may ask how an on-track
    target gets there); cards and the API carry it only for those behind or at risk. A target whose
    scope the register does not cover gets none: its candidates would be as incomplete as its figure.
    """
    figure = target_figures([target], as_of=as_of)[target.pk]
    current = figure.current
    path = (
        paths.target_paths([target], as_of=as_of, current={target.pk: current}).get(target.pk)
        if figure.status != SCOPE_INCOMPLETE
        else None
    )
    candidates = path.candidates if path else []
    enterprises = Enterprise.objects.select_related("region").in_bulk([item.enterprise_id for item in candidates])
    tiers = {tier.pk: tier.name for tier in target.tiers.all()}
    near = [item.result_id for item in candidates if item.source == paths.NEAR and item.result_id]
    gaps = gaps_for_results(EligibilityResult.objects.filter(pk__in=near), on=as_of) if near else {}
    rows = [
        ShortlistRow(
            enterprise=enterprises[item.enterprise_id],
            candidate=item,
            tier_name=tiers.get(item.tier_id, ""),
            # What the enterprise misses first, then what is unknown or awaits a staff member's confirmation.
            gaps=[
                line["text"]
                for line in sorted(gaps.get(item.result_id, []), key=lambda line: line["status"] != NOT_MET)
            ],
        )
        for item in candidates
        if item.enterprise_id in enterprises
    ]
    lead_units, lead_rule = [], ""
    if target.measure_id:
        lead_units = list(
            MeasureUnit.objects.filter(measure_id=target.measure_id, is_lead=True).select_related("department")
        )
        inference = inferences_for([target.measure], field="lead_unit").get(target.measure_id)
        if inference is not None and inference.state == Inference.State.INFERRED:
            lead_rule = inference.rule
    return Shortlist(
        target=target,
        as_of=as_of,
        current=current,
        path=path,
        rows=rows,
        lead_units=lead_units,
        figure=figure,
        lead_rule=lead_rule,
    )
