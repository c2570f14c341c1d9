"""`python -m bench.roster <step> …`: one step of the roster section in this process, its outcome printed as JSON."""

import json
import sys

from bench.roster.steps import step_fast, step_floor, step_import_export, step_setup


def _worker(argv: list[str]) -> None:
    import resource

    import django

    django.setup()
    # Downstream work (eligibility recomputes, rewards) hooks in after commit; it is not part
    # of either import path and django-import-export's path would not trigger it at all.
    from enterprises.services import ENTERPRISE_CHANGE_HOOKS
    from tiers.services import RECOGNITION_BATCH_GRANTED_HOOKS, RECOGNITION_GRANTED_HOOKS

    ENTERPRISE_CHANGE_HOOKS.clear()
    RECOGNITION_GRANTED_HOOKS.clear()
    RECOGNITION_BATCH_GRANTED_HOOKS.clear()
    # Load the URLconf (and with it every app's views) before the clock starts, for both paths.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    import import_export.formats.base_formats  # noqa: F401

    step, *arguments = argv
    steps = {"setup": step_setup, "fast": step_fast, "import-export": step_import_export, "floor": step_floor}
    outcome = steps[step](*arguments)
    outcome["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome, ensure_ascii=False))


if __name__ == "__main__":
    _worker(sys.argv[1:])
