"""The cultivation pool (培育库) over REST: its entries, adding one by hand, changing and leaving."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from portal.api.fields import ScopedPrimaryKeyRelatedField
from portal.models import User
from tiers import permissions, selectors, services
from tiers.forms import commissioners_for
from tiers.models import PoolEntry


class PoolEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region_name = serializers.CharField(source="enterprise.region.name", read_only=True)
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    version = serializers.IntegerField(read_only=True)
    enterprise = ScopedPrimaryKeyRelatedField(model=Enterprise, scope=enterprises_visible_to)
    commissioner = ScopedPrimaryKeyRelatedField(model=User, scope=commissioners_for, allow_null=True, required=False)

    class Meta:
        model = PoolEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "region_name",
            "tier",
            "tier_name",
            "stage",
            "origin",
            "reason",
            "missing_at_entry",
            "commissioner",
            "entered_at",
            "left_at",
            "left_reason",
            "version",
        ]
        read_only_fields = ["origin", "missing_at_entry", "entered_at", "left_at", "left_reason"]


class PoolEntryUpdateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PoolEntry.Stage.choices)
    commissioner = serializers.IntegerField(allow_null=True, required=False)
    expected_version = serializers.IntegerField(required=False)


class PoolLeaveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


POOL_PARAMETERS = [
    OpenApiParameter("tier", int),
    OpenApiParameter("region", int, description="Region id; includes the regions below it"),
    OpenApiParameter("stage", str, enum=[value for value, _label in PoolEntry.Stage.choices]),
    OpenApiParameter("include_left", str, enum=["1", "0"]),
    OpenApiParameter("q", str),
]


class PoolListView(generics.ListCreateAPIView):
    """The cultivation pool of the caller's scope; POST adds an enterprise by hand (reason required)."""

    serializer_class = PoolEntrySerializer

    def get_queryset(self):
        if not permissions.can_view_eligibility(self.request.user):
            raise PermissionDenied
        return selectors.pool_entries(self.request.user, selectors.pool_filters_from(self.request.query_params))

    @extend_schema(parameters=POOL_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = PoolEntrySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enterprise = enterprises_visible_to(request.user).filter(pk=data["enterprise"].pk).first()
        if enterprise is None:
            raise Http404
        if not permissions.can_manage_pool(request.user, enterprise):
            raise PermissionDenied
        entry = services.add_to_pool(
            actor=request.user,
            enterprise=enterprise,
            tier=data["tier"],
            reason=data.get("reason", ""),
            stage=data.get("stage", PoolEntry.Stage.RESERVE),
            commissioner=data.get("commissioner"),
        )
        entry = selectors.pool_entry_detail(request.user, entry.pk)
        return Response(PoolEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class PoolEntryView(APIView):
    """One pool entry; PATCH changes its stage or commissioner."""

    def _entry(self, request, pk: int) -> PoolEntry:
        entry = selectors.pool_entry_detail(request.user, pk)
        if entry is None:
            raise Http404
        return entry

    @extend_schema(responses=PoolEntrySerializer)
    def get(self, request, pk: int):
        return Response(PoolEntrySerializer(self._entry(request, pk)).data)

    @extend_schema(request=PoolEntryUpdateSerializer, responses=PoolEntrySerializer)
    def patch(self, request, pk: int):
        entry = self._entry(request, pk)
        if not permissions.can_change_pool_entry(request.user, entry):
            raise PermissionDenied
        serializer = PoolEntryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commissioner = entry.commissioner
        if "commissioner" in data:
            from tiers.forms import commissioners_for

            commissioner = (
                commissioners_for(request.user).filter(pk=data["commissioner"]).first()
                if data["commissioner"]
                else None
            )
        services.update_pool_entry(
            actor=request.user,
            entry=entry,
            stage=data["stage"],
            commissioner=commissioner,
            expected_version=data.get("expected_version"),
        )
        return Response(PoolEntrySerializer(self._entry(request, pk)).data)


class PoolLeaveView(APIView):
    """Take an enterprise out of the pool, with the reason."""

    @extend_schema(request=PoolLeaveSerializer, responses=PoolEntrySerializer)
    def post(self, request, pk: int):
        entry = selectors.pool_entry_detail(request.user, pk)
        if entry is None:
            raise Http404
        if not permissions.can_change_pool_entry(request.user, entry):
            raise PermissionDenied
        serializer = PoolLeaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.remove_from_pool(actor=request.user, entry=entry, reason=serializer.validated_data["reason"])
        return Response(PoolEntrySerializer(selectors.pool_entry_detail(request.user, pk)).data)
