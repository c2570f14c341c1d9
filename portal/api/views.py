from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal import selectors, services, two_factor
from portal.api.serializers import DepartmentSerializer, MeSerializer, RegionSerializer
from portal.middleware import client_ip
from portal.throttling import is_login_blocked


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    # Scripts often send the credentials as a form (curl -d); both are documented.
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "otp": serializers.CharField(
                    required=False,
                    help_text="The authenticator's 6 digits or a recovery code, for accounts that sign in with two factors",
                ),
            },
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        # A JSON body may be a list or a number; only an object carries credentials.
        data = request.data if isinstance(request.data, dict) else {}
        username = str(data.get("username", ""))
        password = str(data.get("password", ""))
        ip = client_ip(request)
        if is_login_blocked(username=username, ip=ip):
            services.record_failed_login(username=username, ip=ip, channel="api token")
            return Response(
                {
                    "error": {
                        "code": "throttled",
                        "message": _("Too many failed attempts. Please try again in 15 minutes."),
                        "fields": {},
                    }
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request, username=username, password=password)
        if user is None:
            services.record_failed_login(username=username, ip=ip, channel="api token")
            return Response(
                {"error": {"code": "invalid_credentials", "message": _("Wrong username or password."), "fields": {}}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if two_factor.must_use_two_factor(user) and two_factor.verify(user, str(data.get("otp", ""))) is None:
            services.record_failed_login(username=username, ip=ip, channel="api token, two-factor")
            message = _("This account signs in with two factors: send the code of your authenticator app as otp.")
            return Response(
                {"error": {"code": "two_factor_required", "message": message, "fields": {"otp": [message]}}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.record_login(user=user, ip=ip, channel="api token")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The caller: role, region and department."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class RegionListView(generics.ListAPIView):
    """Regions the caller may see: their own and everything below it."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        qs = selectors.regions_visible_to(self.request.user).select_related("parent")
        kind = self.request.query_params.get("kind")
        return qs.filter(kind=kind) if kind else qs


class RegionDetailView(generics.RetrieveAPIView):
    serializer_class = RegionSerializer

    def get_queryset(self):
        return selectors.regions_visible_to(self.request.user).select_related("parent")


class DepartmentListView(generics.ListAPIView):
    """Departments of the regions the caller may see."""

    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return selectors.departments_visible_to(self.request.user)
