"""A user's permission summary, computed from the same predicates the pages and the API check.

Predicates that need an object get a representative one: an enterprise (and an
application) registered in the deepest region of the user's scope, so a county
user is asked about their county and a city user about a county below their city.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from enterprises import permissions as register
from enterprises.compliance import permissions as compliance
from enterprises.models import Enterprise
from incentives import permissions as incentives
from overview.dashboard import permissions as dashboards
from portal import permissions as site
from portal.models import Region, User
from tasks import permissions as tasks
from tiers import permissions as tiers
from tiers.applications import permissions as applications
from tiers.applications.models import REVIEW_STEP_LABELS, Application, ApplicationState, ReviewChain
from tiers.applications.services.chains import regions_by_level
from tiers.models import Tier
from tiers.versions import permissions as versions


@dataclass
class Capability:
    code: str
    label: str
    allowed: bool
    # The API a client would call for it (URL name), where one answers yes or no by itself.
    api: str = ""


@dataclass
class StepRights:
    step: str
    may_review: bool


@dataclass
class TierRights:
    tier: Tier
    may_apply: bool
    steps: list[StepRights] = field(default_factory=list)
    may_decide: bool = False


@dataclass
class PermissionSummary:
    user: User
    sample_region: Region | None
    capabilities: list[Capability]
    tiers: list[TierRights]


def sample_region(user: User) -> Region | None:
    """The deepest region of the user's scope along its first branch (a county below a city, the county itself)."""
    region = user.region or Region.objects.filter(parent__isnull=True).order_by("path").first()
    while region is not None:
        child = Region.objects.filter(parent=region).order_by("path").first()
        if child is None:
            return region
        region = child
    return None


def capabilities(user: User, enterprise: Enterprise) -> list[Capability]:
    rows = [
        ("view_register", _("Read the enterprise register"), register.can_view_enterprises(user), "api-enterprises"),
        (
            "edit_enterprise",
            _("Add and edit enterprises of the scope"),
            register.can_edit_enterprise(user, enterprise),
            "",
        ),
        ("import_rosters", _("Import Excel rosters"), register.can_import_rosters(user), "api-rosters"),
        ("record_compliance", _("Enter compliance records"), compliance.can_record_compliance(user, enterprise), ""),
        (
            "import_compliance",
            _("Import compliance data"),
            compliance.can_import_compliance(user),
            "api-compliance-imports",
        ),
        (
            "view_eligibility",
            _("Read eligibility and the cultivation pool"),
            tiers.can_view_eligibility(user),
            "api-eligibility",
        ),
        ("manage_pool", _("Work the cultivation pool"), tiers.can_manage_pool(user, enterprise), ""),
        ("assess", _("Confirm manual criteria"), tiers.can_assess_enterprise(user, enterprise), ""),
        ("recompute", _("Start a full recomputation"), tiers.can_recompute(user), ""),
        ("compare_criteria", _("Compare criteria versions"), versions.can_compare_criteria_sets(user), ""),
        ("draft_criteria", _("Evaluate draft criteria"), versions.can_evaluate_draft_criteria(user), ""),
        ("view_applications", _("Read applications"), applications.can_view_applications(user), "api-applications"),
        ("create_application", _("Enter applications"), applications.can_create_application(user, enterprise), ""),
        ("manage_batches", _("Open and close application batches"), applications.can_manage_batches(user), ""),
        ("manage_publicity", _("Publish publicity lists"), applications.can_manage_publicity(user), ""),
        ("view_visits", _("Read service visits"), tasks.can_view_visits(user), ""),
        ("log_visit", _("Log service visits"), tasks.can_log_visit(user, enterprise), ""),
        ("view_incentives", _("Read rewards"), incentives.can_view_incentives(user), ""),
        (
            "record_reward_event",
            _("Record reward events"),
            incentives.can_record_reward_event(user, enterprise.region),
            "",
        ),
        ("view_dashboards", _("Read leader dashboards"), dashboards.can_view_dashboards(user), ""),
        ("view_audit_log", _("Read the audit log"), site.can_view_audit_log(user), ""),
        ("manage_users", _("Manage users"), site.can_manage_users(user), ""),
    ]
    return [Capability(code, label, bool(allowed), api) for code, label, allowed, api in rows]


def tier_rights(user: User, region: Region | None, enterprise: Enterprise) -> list[TierRights]:
    """For each tier with a review chain: may the user enter an application, act at each step, record the decision."""
    if region is None:
        return []
    holders = regions_by_level(region)
    chains = ReviewChain.objects.select_related("tier").prefetch_related("steps").order_by("tier__name")
    rights = []
    for chain in chains:
        row = TierRights(chain.tier, may_apply=applications.can_create_application(user, enterprise))
        for step in chain.steps.all():
            holder = holders.get(step.level)
            if holder is None:
                continue
            application = Application(
                tier=chain.tier,
                region=region,
                state=ApplicationState.IN_REVIEW,
                current_step=step,
                reviewing_region=holder,
            )
            row.steps.append(
                StepRights(str(REVIEW_STEP_LABELS[step.level]), applications.can_review_application(user, application))
            )
        decision = Application(
            tier=chain.tier,
            region=region,
            state=ApplicationState.RECOMMENDED,
            reviewing_region=holders.get(chain.decision_level),
        )
        row.may_decide = applications.can_review_application(user, decision)
        rights.append(row)
    return rights


def permission_summary(user: User) -> PermissionSummary:
    region = sample_region(user)
    enterprise = Enterprise(region=region) if region is not None else Enterprise(region=Region(path="~"))
    return PermissionSummary(user, region, capabilities(user, enterprise), tier_rights(user, region, enterprise))
