"""Publicity (公示) lists and their objections over REST, with the pages' rules."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import ScopedPrimaryKeyRelatedField
from tiers.applications import permissions, selectors, services
from tiers.applications.api.applications import CONFLICT, ERRORS, READERS
from tiers.applications.models import Application, Objection, PublicityList


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
