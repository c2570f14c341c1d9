"""The applications API, split by sub-domain; urls import the views from here."""

from tiers.applications.api.applications import (
    ApplicationActionView,
    ApplicationDetailView,
    ApplicationListView,
    BatchListView,
    ReviewQueueView,
)
from tiers.applications.api.publicity import (
    ObjectionCreateView,
    ObjectionResolveView,
    PublicityDetailView,
    PublicityListView,
)
from tiers.applications.api.review import (
    OpinionListView,
    OpinionRequestView,
    ResponsibilityDetailView,
    ResponsibilityListView,
    ScoreItemsView,
    SiteCheckListView,
)

__all__ = [
    "ApplicationActionView",
    "ApplicationDetailView",
    "ApplicationListView",
    "BatchListView",
    "ObjectionCreateView",
    "ObjectionResolveView",
    "OpinionListView",
    "OpinionRequestView",
    "PublicityDetailView",
    "PublicityListView",
    "ResponsibilityDetailView",
    "ResponsibilityListView",
    "ReviewQueueView",
    "ScoreItemsView",
    "SiteCheckListView",
]
