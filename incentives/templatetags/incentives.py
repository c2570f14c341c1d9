"""The enterprise page's rewards section, without the enterprises app knowing about rewards."""

from django import template

from incentives import permissions, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def enterprise_rewards(context, enterprise) -> dict | None:
    """Rewards owed and paid to the enterprise (as the viewer may see them), and what its next rungs would bring."""
    request = context.get("request")
    if request is None or not permissions.can_view_incentives(request.user):
        return None
    return selectors.enterprise_rewards(request.user, enterprise)
