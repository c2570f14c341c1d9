"""Recognitions over REST: those of the caller's region, one recognition, and revoking it, with the pages' rules."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import params as query
from tiers import services as tier_services
from tiers.applications import permissions, selectors
from tiers.applications.api.applications import CONFLICT, ERRORS, READERS
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
