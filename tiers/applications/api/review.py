"""Score reviews, on-site checks, 会签 opinions and responsible departments over REST, with the pages' rules."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.parsers import JSON_OR_FILES
from tiers.applications import permissions, selectors, services
from tiers.applications.api.applications import CONFLICT, ERRORS, READERS, application_or_404
from tiers.applications.models import DepartmentLine, Opinion, Responsibility, ScoreReview, SiteCheck


class ScoreItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    maximum = serializers.DecimalField(max_digits=6, decimal_places=1)
    computed = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    points = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class ScoreReviewSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ScoreReview
        fields = ["id", "item_code", "item_label", "computed_points", "points", "reason", "actor", "at"]
        read_only_fields = fields


class ScoreReviewInputSerializer(serializers.Serializer):
    item_code = serializers.CharField(max_length=60)
    points = serializers.DecimalField(max_digits=6, decimal_places=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreItemsView(APIView):
    """The application's score items (computed and reviewed); POST confirms or adjusts one at the current step."""

    permission_classes = READERS

    @extend_schema(responses={200: ScoreItemSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        return Response(ScoreItemSerializer(services.score_items(application_or_404(request, pk)), many=True).data)

    @extend_schema(request=ScoreReviewInputSerializer, responses={201: ScoreReviewSerializer, **ERRORS})
    def post(self, request, pk: int):
        application = application_or_404(request, pk)
        serializer = ScoreReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_score_item(actor=request.user, application=application, **serializer.validated_data)
        return Response(ScoreReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class SiteCheckSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()
    files = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, help_text="multipart: PDF or images"
    )

    class Meta:
        model = SiteCheck
        fields = ["id", "step", "checked_on", "people", "findings", "conclusion", "recorded_by", "files"]
        read_only_fields = ["id", "step", "recorded_by"]


class SiteCheckListView(APIView):
    """On-site checks (实地核查) of an application; POST records one at the current review step."""

    permission_classes = READERS
    parser_classes = JSON_OR_FILES  # the check's photos and minutes

    @extend_schema(responses={200: SiteCheckSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        return Response(SiteCheckSerializer(application_or_404(request, pk).site_checks.all(), many=True).data)

    @extend_schema(request=SiteCheckSerializer, responses={201: SiteCheckSerializer, **ERRORS})
    def post(self, request, pk: int):
        application = application_or_404(request, pk)
        serializer = SiteCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        check = services.record_site_check(
            actor=request.user, application=application, files=data.pop("files", []), **data
        )
        return Response(SiteCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class OpinionSerializer(serializers.ModelSerializer):
    department = serializers.StringRelatedField()
    actor = serializers.StringRelatedField()

    class Meta:
        model = Opinion
        fields = ["id", "department", "text", "actor", "at"]
        read_only_fields = ["id", "department", "actor", "at"]


class OpinionListView(APIView):
    """会签 opinions of other departments on an application; POST gives the caller's department's opinion."""

    permission_classes = READERS

    @extend_schema(responses={200: OpinionSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        return Response(OpinionSerializer(application_or_404(request, pk).opinions.all(), many=True).data)

    @extend_schema(request=OpinionSerializer, responses={201: OpinionSerializer, **ERRORS})
    def post(self, request, pk: int):
        application = application_or_404(request, pk)
        serializer = OpinionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opinion = services.record_opinion(
            actor=request.user, application=application, text=serializer.validated_data["text"]
        )
        return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class OpinionRequestSerializer(serializers.Serializer):
    department = serializers.IntegerField(help_text="A department of the region holding the application")


class OpinionRequestView(APIView):
    """The reviewers of the current step ask another department for its 会签 opinion; its staff are notified."""

    permission_classes = READERS

    @extend_schema(
        request=OpinionRequestSerializer,
        responses={202: inline_serializer("OpinionRequested", {"notified": serializers.IntegerField()}), **ERRORS},
    )
    def post(self, request, pk: int):
        application = application_or_404(request, pk)
        serializer = OpinionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = next(
            (d for d in services.opinion_departments(application) if d.pk == serializer.validated_data["department"]),
            None,
        )
        if department is None:
            raise ValidationError({"department": [_("Please choose another department of the reviewing region.")]})
        notified = services.request_opinion(actor=request.user, application=application, department=department)
        return Response({"notified": notified}, status=status.HTTP_202_ACCEPTED)


class ResponsibilitySerializer(serializers.ModelSerializer):
    tier_name = serializers.CharField(source="tier.name", read_only=True)

    class Meta:
        model = Responsibility
        fields = ["id", "tier", "tier_name", "level", "line", "is_inferred", "source", "version"]
        read_only_fields = ["id", "tier", "tier_name", "level", "version"]


class ResponsibilityUpdateSerializer(serializers.Serializer):
    line = serializers.ChoiceField(choices=DepartmentLine.choices)
    is_inferred = serializers.BooleanField()
    source = serializers.CharField(allow_blank=True, max_length=300)
    expected_version = serializers.IntegerField(help_text="The `version` you read; a stale one gives 409.")


class ResponsibilityListView(generics.ListAPIView):
    """The department line leading each tier at each level (牵头单位); inferred rows are marked."""

    permission_classes = READERS
    serializer_class = ResponsibilitySerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.responsibilities()


class ResponsibilityDetailView(APIView):
    """PATCH: administrators change a tier's responsible department at a level (audited)."""

    permission_classes = READERS

    @extend_schema(
        request=ResponsibilityUpdateSerializer, responses={200: ResponsibilitySerializer, **ERRORS, **CONFLICT}
    )
    def patch(self, request, pk: int):
        if not permissions.can_edit_responsibilities(request.user):
            raise PermissionDenied
        responsibility = get_object_or_404(selectors.responsibilities(), pk=pk)
        serializer = ResponsibilityUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.update_responsibility(
            actor=request.user, responsibility=responsibility, **serializer.validated_data
        )
        return Response(ResponsibilitySerializer(updated).data)
