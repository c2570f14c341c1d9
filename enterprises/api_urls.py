from django.urls import path

from enterprises import api
from enterprises.compliance import api as compliance_api
from enterprises.roster import api as roster_api

urlpatterns = [
    path("enterprises/", api.EnterpriseListView.as_view(), name="api-enterprises"),
    path("enterprises/<int:pk>/", api.EnterpriseDetailView.as_view(), name="api-enterprise"),
    path("enterprises/<int:pk>/indicators/", api.IndicatorListView.as_view(), name="api-enterprise-indicators"),
    path(
        "enterprises/<int:pk>/indicators/<int:year>/", api.IndicatorYearView.as_view(), name="api-enterprise-indicator"
    ),
    path(
        "enterprises/<int:pk>/above-scale-periods/",
        api.AboveScalePeriodListView.as_view(),
        name="api-enterprise-above-scale-periods",
    ),
    path(
        "enterprises/<int:pk>/above-scale-periods/<int:period_pk>/",
        api.AboveScalePeriodDetailView.as_view(),
        name="api-enterprise-above-scale-period",
    ),
    path("rosters/", roster_api.RosterImportListView.as_view(), name="api-rosters"),
    path("rosters/<int:pk>/", roster_api.RosterImportDetailView.as_view(), name="api-roster"),
    path("rosters/<int:pk>/commit/", roster_api.RosterImportCommitView.as_view(), name="api-roster-commit"),
    path(
        "enterprises/<int:pk>/compliance/",
        compliance_api.EnterpriseComplianceView.as_view(),
        name="api-enterprise-compliance",
    ),
    path("compliance/<int:pk>/", compliance_api.ComplianceRecordView.as_view(), name="api-compliance-record"),
    path("compliance/imports/", compliance_api.ComplianceImportListView.as_view(), name="api-compliance-imports"),
    path(
        "compliance/imports/<int:pk>/",
        compliance_api.ComplianceImportDetailView.as_view(),
        name="api-compliance-import",
    ),
    path(
        "compliance/imports/<int:pk>/commit/",
        compliance_api.ComplianceImportCommitView.as_view(),
        name="api-compliance-import-commit",
    ),
    path("compliance/coverage/", compliance_api.ComplianceCoverageView.as_view(), name="api-compliance-coverage"),
]
