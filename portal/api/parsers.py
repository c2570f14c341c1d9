"""Request bodies the API accepts beyond its default, JSON (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES)."""

from rest_framework.parsers import JSONParser, MultiPartParser

# Views whose requests may carry files (a decision notice, on-site check photos): JSON, or
# multipart when files come along.
JSON_OR_FILES = [JSONParser, MultiPartParser]
