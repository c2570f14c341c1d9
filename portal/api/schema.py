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


# The bounds portal.params enforces, stated in the schema so that clients (and schemathesis) know them.
_INTEGER_BOUNDS = {"page": (1, None), "page_size": (1, 500), "year": (1900, 2200), "expiring_within": (0, 3650)}
_LARGEST_ID = 10**18 - 1


def _query_parameter_schema(name: str, schema: dict) -> dict:
    """An empty query parameter means "no filter" (the pages' forms send it so): say so."""
    empty = {"type": "string", "maxLength": 0}
    if schema.get("type") == "integer":
        minimum, maximum = _INTEGER_BOUNDS.get(name, (0, None))
        bounded = {**schema, "minimum": minimum, "maximum": maximum if maximum is not None else _LARGEST_ID}
        return {"anyOf": [bounded, empty]}
    if schema.get("type") == "string" and "enum" in schema:
        return {**schema, "enum": [*schema["enum"], ""]}
    if schema.get("type") == "string" and schema.get("format") == "date":
        return {"anyOf": [schema, empty]}
    return schema


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with every error answer in the API's one error shape and
    every query parameter with the bounds portal.params holds it to."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.get("in") == "query" and "schema" in parameter:
                parameter["schema"] = _query_parameter_schema(parameter["name"], parameter["schema"])
        return operation

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
