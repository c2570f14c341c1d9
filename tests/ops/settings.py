"""Production settings for the processes the topology and fault tests start.

One difference: static files are not hashed, so the test need not run a 30-second
`collectstatic` before a page can render. Everything else is portal.settings.production,
configured from the environment as on a real machine.
"""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
