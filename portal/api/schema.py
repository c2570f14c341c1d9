"""The OpenAPI schema states the error answers every operation can give, not only its success."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from portal.api.serializers import ErrorSerializer

_ERROR_RESPONSES = {
    "400": "Refused: a parameter or the body is not valid, or a rule said no; the message says why",
    "401": "Not signed in, or the token is not valid",
    "403": "Not allowed for the caller's role or region",
    "404": "Missing, or outside the caller's region (the same answer)",
    "405": "The method is not allowed on this path",
    "409": "Someone else changed the record first; reload it and send its new version",
    "429": "Too many requests; Retry-After says when to try again",
    "500": "A server error; nothing was changed",
}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with every error answer in the API's one error shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in _ERROR_RESPONSES.items():
            if code == "409" and self.method not in _WRITES:
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
                )
        return responses
