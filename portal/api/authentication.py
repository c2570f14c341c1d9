from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's region in one query.

    Every API read is scoped by the user's region (User.scope_path); with DRF's
    own query that region cost a second query on every request.
    """

    def authenticate_credentials(self, key: str):
        token = self.get_model().objects.select_related("user__region").filter(key=key).first()
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # DRF's own refusal and message
        return token.user, token
