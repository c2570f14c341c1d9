from django import template
from django.utils import timezone

from enterprises.compliance import permissions, selectors

register = template.Library()


@register.inclusion_tag("enterprises/compliance/history.html", takes_context=True)
def compliance_history(context, enterprise):
    """The enterprise page's compliance card: every record, newest first, and whether the region's data is in."""
    user = context["request"].user
    return {
        "enterprise": enterprise,
        "records": list(selectors.compliance_history(enterprise)),
        "coverage": selectors.coverage_for(enterprise),
        "can_record": permissions.can_record_compliance(user, enterprise),
    }


@register.inclusion_tag("enterprises/compliance/veto_warning.html")
def compliance_warning(enterprise):
    """A warning for reviewers: the enterprise has a record that vetoes a tier (shown at every review step)."""
    return {"enterprise": enterprise, "records": selectors.veto_records(enterprise, on=timezone.localdate())}
