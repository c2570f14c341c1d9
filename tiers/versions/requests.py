"""Reading a comparison request (pages and API): the tier, the two sets, the region, the date, a draft."""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import ServiceError
from portal.models import Region, User
from portal.selectors import regions_visible_to
from tiers.criteria.validation import node_errors
from tiers.models import CriteriaSet, Tier
from tiers.versions.compare import Comparison, apply_thresholds, compare_register, set_nodes, thresholds


@dataclass
class ComparisonRequest:
    tier: Tier
    sets: list[CriteriaSet]
    old: CriteriaSet
    new: CriteriaSet
    region: Region | None
    on: datetime.date
    draft: dict[str, float] | None = None

    def run(self, user: User) -> Comparison:
        new_nodes, new_name = set_nodes(self.new), self.new.name
        if self.draft is not None:
            new_nodes, new_name = draft_nodes(self.new, self.draft), _("%(name)s (draft)") % {"name": self.new.name}
        return compare_register(
            user=user,
            tier=self.tier,
            old_nodes=set_nodes(self.old),
            new_nodes=new_nodes,
            old_name=self.old.name,
            new_name=new_name,
            on=self.on,
            region=self.region,
        )


def _int(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None


def parse_comparison(user: User, tier_code: str, params, draft: dict | None = None) -> ComparisonRequest:
    """A tier with at least two sets; `old` and `new` default to the oldest and the newest. Unknown ids are 404."""
    tier = Tier.objects.filter(code=tier_code).first()
    if tier is None:
        raise Http404
    sets = list(CriteriaSet.objects.filter(tier=tier).prefetch_related("criteria").order_by("effective_from"))
    # A draft is compared with a set the tier has; a tier without criteria has nothing to compare.
    if not sets or (len(sets) < 2 and draft is None):
        raise Http404
    by_id = {item.pk: item for item in sets}
    old = by_id.get(_int(params.get("old"))) if params.get("old") else sets[0]
    new = (
        by_id.get(_int(params.get("new") or params.get("base")))
        if (params.get("new") or params.get("base"))
        else sets[-1]
    )
    if old is None or new is None:
        raise Http404
    region = None
    if params.get("region"):
        region = regions_visible_to(user).filter(pk=_int(params.get("region"))).first()
        if region is None:
            raise Http404
    try:
        on = datetime.date.fromisoformat(params.get("on")) if params.get("on") else timezone.localdate()
    except ValueError as error:
        raise ServiceError(
            _("“%(value)s” is not a date; write 2026-06-01.") % {"value": params.get("on")}, code="on"
        ) from error
    return ComparisonRequest(tier, sets, old, new, region, on, draft)


def draft_nodes(base: CriteriaSet, values: dict[str, float]) -> list[dict]:
    """The base set with edited thresholds; refused when a path names no threshold or the result is invalid."""
    nodes = set_nodes(base)
    known = {item["path"]: item for item in thresholds(nodes)}
    unknown = [path for path in values if path not in known]
    if unknown:
        raise ServiceError(
            _("“%(path)s” is not a threshold of %(name)s.") % {"path": unknown[0], "name": base.name}, code="thresholds"
        )
    draft = apply_thresholds(nodes, values)
    errors = [error for node in draft for error in node_errors(node)]
    if errors:
        raise ServiceError(errors[0], code="thresholds")
    return draft
