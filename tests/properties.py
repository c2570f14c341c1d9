"""How many examples a Hypothesis property test runs.

Two profiles: "full" in CI (`CI=true`, as `.ci/run` sets) runs every example a
test asks for; "fast", the default of `make test` on a developer's machine,
runs a fifth of them (at least ten), so the properties are exercised on every
run and searched thoroughly before anything lands. `HYPOTHESIS_PROFILE=full`
asks for the full search locally.
"""

import os

from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("full" if os.environ.get("CI") == "true" else "fast")

settings.register_profile("full", deadline=None, print_blob=True)
settings.register_profile("fast", deadline=None, max_examples=20)
settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """The number of examples to run of a test that asks for `full` in the full profile."""
    return full if PROFILE == "full" else max(10, full // 5)
