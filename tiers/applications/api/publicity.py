"""Recognitions and publicity (公示) over REST, with the pages' rules."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import params as query
from portal.api.fields import ScopedPrimaryKeyRelatedField
from tiers import services as tier_services
from tiers.applications import permissions, selectors, services
from tiers.applications.api.applications import CONFLICT, ERRORS, READERS
from tiers.applications.models import Application, Objection, PublicityList
from tiers.models import Recognition


class RecognitionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    tier_name = serializers.CharField(source="tier.name", read_only=True)

    class Meta:
        model = Recognition
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "tier",
            "tier_name",
            "recognized_on",
            "year",
            "batch",
            "certificate_no",
            "valid_until",
            "status",
            "source",
            "revoked_on",
            "revoked_reason",
            "version",
        ]
        read_only_fields = fields


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    expected_version = serializers.IntegerField()
    revoked_on = serializers.DateField(required=False, allow_null=True)


class RecognitionListView(generics.ListAPIView):
    """Recognitions of enterprises in the caller's region; `expiring_within=<days>` lists those about to expire."""

    permission_classes = READERS
    serializer_class = RecognitionSerializer

    def get_queryset(self):
        days = query.integer(self.request.GET, "expiring_within", maximum=3650)
        if days is not None:
            return selectors.expiring_recognitions_for(self.request.user, days=days)
        qs = selectors.recognitions_visible_to(self.request.user).order_by("-recognized_on", "pk")
        status_filter = query.choice(self.request.GET, "status", Recognition.Status.values)
        return qs.filter(status=status_filter) if status_filter else qs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Recognition.Status.values),
            OpenApiParameter("expiring_within", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _recognition(request, pk: int) -> Recognition:
    recognition = selectors.recognitions_visible_to(request.user).filter(pk=pk).first()
    if recognition is None:
        raise Http404
    return recognition


class RecognitionDetailView(APIView):
    permission_classes = READERS

    @extend_schema(responses={200: RecognitionSerializer, **ERRORS})
    def get(self, request, pk: int):
        return Response(RecognitionSerializer(_recognition(request, pk)).data)


class RecognitionRevokeView(APIView):
    """Revoke a recognition: a reason is required; the change is audited."""

    permission_classes = READERS

    @extend_schema(request=RevokeSerializer, responses={200: RecognitionSerializer, **ERRORS, **CONFLICT})
    def post(self, request, pk: int):
        recognition = _recognition(request, pk)
        if not permissions.can_revoke_recognition(request.user, recognition):
            raise PermissionDenied
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        revoked = tier_services.revoke_recognition(
            actor=request.user,
            recognition=recognition,
            reason=data["reason"],
            revoked_on=data.get("revoked_on"),
            expected_version=data["expected_version"],
        )
        return Response(RecognitionSerializer(revoked).data)


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "application",
            "received_on",
            "objector",
            "text",
            "status",
            "resolution",
            "resolved_at",
            "version",
        ]
        read_only_fields = ["id", "status", "resolution", "resolved_at", "version"]
        extra_kwargs = {"received_on": {"required": False}}

    application = ScopedPrimaryKeyRelatedField(model=Application, scope=selectors.applications_visible_to)


class PublicityListSerializer(serializers.ModelSerializer):
    applications = ScopedPrimaryKeyRelatedField(
        model=Application, scope=selectors.applications_visible_to, many=True, required=False
    )
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = PublicityList
        fields = ["id", "region", "title", "starts_on", "ends_on", "applications", "objections"]
        read_only_fields = ["id", "region", "objections"]


class ResolveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Objection.Status.DISMISSED, Objection.Status.UPHELD])
    resolution = serializers.CharField()
    expected_version = serializers.IntegerField()


class PublicityListView(generics.ListCreateAPIView):
    """公示 lists of the caller's region (and of the regions above it)."""

    permission_classes = READERS
    serializer_class = PublicityListSerializer

    def get_queryset(self):
        return selectors.publicity_lists_visible_to(self.request.user).prefetch_related("applications", "objections")

    @extend_schema(request=PublicityListSerializer, responses={201: PublicityListSerializer, **ERRORS})
    def post(self, request, *args, **kwargs):
        if not permissions.can_manage_publicity(request.user) or request.user.region_id is None:
            raise PermissionDenied
        serializer = PublicityListSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        applications = data.pop("applications", [])
        publicity = services.create_publicity_list(
            actor=request.user, region=request.user.region, applications=applications, **data
        )
        return Response(PublicityListSerializer(publicity).data, status=status.HTTP_201_CREATED)


def _publicity(request, pk: int) -> PublicityList:
    publicity = selectors.publicity_detail(request.user, pk)
    if publicity is None:
        raise Http404
    return publicity


class PublicityDetailView(APIView):
    permission_classes = READERS

    @extend_schema(responses={200: PublicityListSerializer, **ERRORS})
    def get(self, request, pk: int):
        return Response(PublicityListSerializer(_publicity(request, pk)).data)


class ObjectionCreateView(APIView):
    """Record an objection received during the publicity period."""

    permission_classes = READERS

    @extend_schema(request=ObjectionSerializer, responses={201: ObjectionSerializer, **ERRORS})
    def post(self, request, pk: int):
        publicity = _publicity(request, pk)
        if not permissions.can_manage_publicity(request.user, publicity):
            raise PermissionDenied
        serializer = ObjectionSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        objection = services.record_objection(actor=request.user, publicity_list=publicity, **data)
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionResolveView(APIView):
    """Resolve an objection as dismissed or upheld."""

    permission_classes = READERS

    @extend_schema(request=ResolveSerializer, responses={200: ObjectionSerializer, **ERRORS, **CONFLICT})
    def post(self, request, pk: int, objection_pk: int):
        publicity = _publicity(request, pk)
        objection = publicity.objections.filter(pk=objection_pk).first()
        if objection is None:
            raise Http404
        if not permissions.can_manage_publicity(request.user, publicity):
            raise PermissionDenied
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resolved = services.resolve_objection(actor=request.user, objection=objection, **serializer.validated_data)
        return Response(ObjectionSerializer(resolved).data)
