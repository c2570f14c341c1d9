"""Development and `make run`: the embedded default unless the environment says otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")

from portal.settings.base import *  # noqa: F403

# Off unless asked for (DJANGO_DEBUG=1): a newcomer sees the site's error pages, never a debug page.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
# The demo accounts sign in with their password alone (README, "Demo accounts");
# PORTAL_TWO_FACTOR_REQUIRED=true tries the second factor locally.
TWO_FACTOR_REQUIRED = env.bool("PORTAL_TWO_FACTOR_REQUIRED", default=False)  # noqa: F405
