"""schemathesis hooks (SCHEMATHESIS_HOOKS=tests.schemathesis_hooks): a check that no response
names anything outside the caller's region. The names come in PORTAL_FORBIDDEN_NAMES (JSON)."""

import json
import os

import schemathesis

FORBIDDEN = json.loads(os.environ.get("PORTAL_FORBIDDEN_NAMES", "[]"))


@schemathesis.check
def no_name_from_outside_the_region(ctx, response, case):
    text = response.text or ""
    leaked = [name for name in FORBIDDEN if name in text]
    if leaked:
        raise AssertionError(f"The response names {leaked}, outside the caller's region")
    return None
