import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from rest_framework import authentication
from rest_framework.authtoken.models import Token

from portal.models import Region, User
from portal.statements import Statement

# Stands for the key in the statement compiled once; replaced by the request's key at each call.
_KEY = "\x00key"


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's region in one query.

    Every API read is scoped by the user's region (User.scope_path); with DRF's
    own query that region cost a second query on every request. The query is
    compiled once per process: building it took longer than running it, on every
    API request. It still reads the database each time, so a deleted token or a
    deactivated, moved or demoted user is refused or seen as they are at once.
    """

    def authenticate_credentials(self, key: str):
        token = token_with_user(key)
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # DRF's own refusal and message
        return token.user, token


def token_with_user(key: str) -> Token | None:
    """The token of this key with its user and the user's region, as select_related("user__region") reads them."""
    statement = _statement(connections[DEFAULT_DB_ALIAS].vendor)
    rows = statement.rows(_KEY, key)
    if not rows:
        return None
    token, user, region = _instances(statement.alias, list(rows[0]), [Token, User, Region])
    user_field, region_field = Token._meta.get_field("user"), User._meta.get_field("region")
    user_field.set_cached_value(token, user)
    user_field.remote_field.set_cached_value(user, token)  # user.auth_token, as select_related leaves it
    region_field.set_cached_value(user, region)
    return token


@functools.cache
def _statement(vendor: str) -> Statement:
    """The token query, compiled once per process (per database vendor), _KEY standing for the key."""
    statement = Statement.of(Token.objects.select_related("user__region").filter(key=_KEY)[:1])
    expected = len(Token._meta.concrete_fields) + len(User._meta.concrete_fields) + len(Region._meta.concrete_fields)
    if statement.columns != expected:
        raise AssertionError("The token query no longer selects the token, its user and their region alone.")
    return statement


def _instances(alias: str, values: list, models: list[type[Model]]) -> list[Model | None]:
    """Each model's instance from its columns in turn; None for a row of NULLs (an outer join that found nothing)."""
    instances: list[Model | None] = []
    start = 0
    for model in models:
        fields = model._meta.concrete_fields
        columns = values[start : start + len(fields)]
        start += len(fields)
        is_missing = columns[[field.primary_key for field in fields].index(True)] is None
        instances.append(None if is_missing else model.from_db(alias, [field.attname for field in fields], columns))
    return instances
