"""Writes about tiers and recognitions, split by sub-domain: recognitions (and their hook lists), manual
assessments, recomputation requests and the cultivation pool. Callers import them from here.

The hook lists are the modules' own list objects: an app appending to `tiers.services.<NAME>` in its
`AppConfig.ready` appends to the list the services call.
"""

from tiers.services.assessments import ASSESSMENT_FIELDS, record_manual_assessment
from tiers.services.pool import (
    POOL_FIELDS,
    POOL_WRITTEN_HOOKS,
    add_to_pool,
    remove_from_pool,
    sync_pool_entries,
    update_pool_entry,
)
from tiers.services.recognitions import (
    RECOGNITION_BATCH_GRANTED_HOOKS,
    RECOGNITION_FIELDS,
    RECOGNITION_GRANTED_HOOKS,
    RECOGNITION_REVOKED_HOOKS,
    expire_recognitions,
    grant_recognition,
    on_recognitions_granted,
    revoke_recognition,
    valid_until_for,
)
from tiers.services.recompute import ELIGIBILITY_WRITTEN_HOOKS, mark_for_recompute, schedule_recognitions_recompute

__all__ = [
    "ASSESSMENT_FIELDS",
    "ELIGIBILITY_WRITTEN_HOOKS",
    "POOL_FIELDS",
    "POOL_WRITTEN_HOOKS",
    "RECOGNITION_BATCH_GRANTED_HOOKS",
    "RECOGNITION_FIELDS",
    "RECOGNITION_GRANTED_HOOKS",
    "RECOGNITION_REVOKED_HOOKS",
    "add_to_pool",
    "expire_recognitions",
    "grant_recognition",
    "mark_for_recompute",
    "on_recognitions_granted",
    "record_manual_assessment",
    "remove_from_pool",
    "revoke_recognition",
    "schedule_recognitions_recompute",
    "sync_pool_entries",
    "update_pool_entry",
    "valid_until_for",
]
