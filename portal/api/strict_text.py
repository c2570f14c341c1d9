"""Text fields take text: a JSON number sent for a text field is refused, as the schema says.

DRF's CharField turns a number into its digits ("12" for 12) while the OpenAPI schema
documents the field as a string; a client sending a number where the documents say text
has a bug that the portal should name, not hide (schemathesis found an opinion's text
accepted as 12). Installed once, for every text field and those built on it (e-mail,
slug, URL, regex), by PortalConfig.ready.
"""

from rest_framework import serializers

_lenient_to_internal_value = serializers.CharField.to_internal_value


def _text_only(field: serializers.CharField, data: object) -> str:
    if not isinstance(data, str):
        field.fail("invalid")
    return _lenient_to_internal_value(field, data)


def install() -> None:
    serializers.CharField.to_internal_value = _text_only  # type: ignore[method-assign]
