"""Applications, review actions and batches over REST, with the pages' rules; READERS, ERRORS and CONFLICT are
shared by the publicity, review and recognition API modules.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.selectors import enterprises_visible_to
from portal import params as query
from portal.api.parsers import JSON_OR_FILES
from portal.api.serializers import ErrorSerializer
from tiers.applications import permissions, selectors, services
from tiers.applications.models import Application, ApplicationState, Batch, ReviewAction
from tiers.applications.transitions import decision_arguments

A = ReviewAction.Action
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: the message says why"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed: the message says who may"),
    404: OpenApiResponse(ErrorSerializer, description="Missing or outside the caller's region"),
}
CONFLICT = {
    409: OpenApiResponse(ErrorSerializer, description="Someone else acted first; the message gives the state now")
}


class CanReadApplications(BasePermission):
    """Staff, leaders and administrators; liaisons get 403."""

    def has_permission(self, request, view) -> bool:
        return permissions.can_view_applications(request.user)


READERS = [IsAuthenticated, CanReadApplications]


class BatchSerializer(serializers.ModelSerializer):
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Batch
        fields = ["id", "tier", "tier_name", "year", "name", "opens_on", "closes_on", "region", "region_name"]
        read_only_fields = ["region"]


class ReviewActionSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ReviewAction
        fields = ["id", "action", "actor", "at", "comment", "from_state", "to_state", "changes"]


class AttachmentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    file_type = serializers.CharField()
    size = serializers.IntegerField()


class ApplicationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    batch_name = serializers.CharField(source="batch.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    reviewing_region_name = serializers.CharField(source="reviewing_region.name", read_only=True, default=None)

    class Meta:
        model = Application
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "tier",
            "tier_name",
            "batch",
            "batch_name",
            "kind",
            "state",
            "state_label",
            "reviewing_region",
            "reviewing_region_name",
            "waiting_since",
            "statements",
            "indicator_year",
            "submitted_at",
            "reviewed_score",
            "decision_document_no",
            "decided_on",
            "recognition",
            "version",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    actions = ReviewActionSerializer(many=True, read_only=True)
    attachments = AttachmentBriefSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "indicators_snapshot",
            "eligibility_snapshot",
            "actions",
            "attachments",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    batch = serializers.PrimaryKeyRelatedField(queryset=Batch.objects.all())
    kind = serializers.ChoiceField(choices=Application.Kind.choices, default=Application.Kind.NEW)
    statements = serializers.CharField(required=False, allow_blank=True, default="")
    indicator_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class ApplicationUpdateSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(help_text="The `version` you read; a stale one gives 409.")
    statements = serializers.CharField(required=False, allow_blank=True)
    indicator_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[a for a in A.choices if a[0] != A.CREATE])
    expected_version = serializers.IntegerField(help_text="The `version` you read; a stale one gives 409.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    recognized_on = serializers.DateField(
        required=False, allow_null=True, help_text="grant and refuse: the date of the decision"
    )
    certificate_no = serializers.CharField(required=False, allow_blank=True, default="", help_text="grant only")
    document_no = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="grant and refuse: the decision's document number; required for a provincial or national grant",
    )
    notice = serializers.FileField(
        required=False, allow_null=True, help_text="grant and refuse (multipart): the decision notice, PDF or image"
    )


def application_or_404(request, pk: int) -> Application:
    application = selectors.application_detail(request.user, pk)
    if application is None:
        raise Http404
    return application


class BatchListView(generics.ListCreateAPIView):
    """Batches (批次) of the caller's chain of jurisdictions (`scope=all`: every region's).

    POST opens one for the caller's region: staff of the department leading the tier in a city or province
    (administrators open national calls)."""

    permission_classes = READERS
    serializer_class = BatchSerializer

    def get_queryset(self):
        return selectors.batches_for(
            self.request.user, show_all=query.choice(self.request.GET, "scope", ["all"]) == "all"
        )

    @extend_schema(parameters=[OpenApiParameter("scope", str, enum=["all"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: BatchSerializer, **ERRORS})
    def post(self, request, *args, **kwargs):
        if not permissions.can_manage_batches(request.user):
            raise PermissionDenied(_("Batches are opened by the responsible department of a city or province."))
        serializer = BatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refusal = permissions.batch_refusal(request.user, serializer.validated_data["tier"])
        if refusal:
            raise PermissionDenied(refusal)
        region = None if request.user.is_admin else request.user.region
        batch = services.create_batch(actor=request.user, region=region, **serializer.validated_data)
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class ApplicationListView(generics.ListCreateAPIView):
    """Applications of the caller's region and below."""

    permission_classes = READERS
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        return selectors.application_list(self.request.user, selectors.ApplicationFilters.from_params(self.request.GET))

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("state", str, enum=ApplicationState.values),
            OpenApiParameter("tier", int),
            OpenApiParameter("batch", int),
            OpenApiParameter("enterprise", int),
        ],
        responses={200: ApplicationSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer, **ERRORS})
    def post(self, request, *args, **kwargs):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = enterprises_visible_to(request.user).filter(pk=data.pop("enterprise")).first()
        if enterprise is None:
            raise Http404
        if not permissions.can_create_application(request.user, enterprise):
            raise PermissionDenied
        application = services.create_application(actor=request.user, enterprise=enterprise, **data)
        return Response(
            ApplicationDetailSerializer(application_or_404(request, application.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ApplicationDetailView(APIView):
    """One application with its review log; PATCH edits a draft or a returned one."""

    permission_classes = READERS

    @extend_schema(responses={200: ApplicationDetailSerializer, **ERRORS})
    def get(self, request, pk: int):
        return Response(ApplicationDetailSerializer(application_or_404(request, pk)).data)

    @extend_schema(
        request=ApplicationUpdateSerializer, responses={200: ApplicationDetailSerializer, **ERRORS, **CONFLICT}
    )
    def patch(self, request, pk: int):
        application = application_or_404(request, pk)
        refusal = permissions.edit_refusal(request.user, application)
        if refusal:
            raise PermissionDenied(refusal)
        serializer = ApplicationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.update_application(
            actor=request.user, application=application, expected_version=data.pop("expected_version"), **data
        )
        return Response(ApplicationDetailSerializer(application_or_404(request, pk)).data)


class ApplicationActionView(APIView):
    """POST a review action (submit, resubmit, pass, recommend, return, reject, grant, refuse)."""

    permission_classes = READERS
    parser_classes = JSON_OR_FILES  # a grant or refusal may carry its notice

    @extend_schema(responses={200: ReviewActionSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        return Response(ReviewActionSerializer(application_or_404(request, pk).actions.all(), many=True).data)

    @extend_schema(request=TransitionSerializer, responses={200: ApplicationDetailSerializer, **ERRORS, **CONFLICT})
    def post(self, request, pk: int):
        application = application_or_404(request, pk)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        action = data["action"]
        refusal = (
            permissions.edit_refusal(request.user, application)
            if action in (A.SUBMIT, A.RESUBMIT)
            else permissions.review_refusal(request.user, application)
        )
        if refusal:
            raise PermissionDenied(refusal)
        kwargs = {"actor": request.user, "application": application, "expected_version": data["expected_version"]}
        if action != A.SUBMIT:
            kwargs["comment"] = data["comment"]
        kwargs.update(decision_arguments(action, data))
        services.TRANSITION_SERVICES[action](**kwargs)
        return Response(ApplicationDetailSerializer(application_or_404(request, pk)).data)


class ReviewQueueView(generics.ListAPIView):
    """What waits for the caller, oldest first."""

    permission_classes = READERS
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        return selectors.review_queue(self.request.user)
