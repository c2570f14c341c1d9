"""Production settings for the processes the topology and fault tests start.

Two differences: static files are not hashed, so the test need not run a 30-second
`collectstatic` before a page can render; and no second factor at sign-in (below). Everything else is portal.settings.production,
configured from the environment as on a real machine.
"""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# The fault and topology tests drive the API with tokens and have no phone for a second factor;
# two-factor sign-in is tested on its own (portal/tests/test_two_factor.py).
TWO_FACTOR_REQUIRED = False
