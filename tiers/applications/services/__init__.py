"""Writes about applications. Every change a person, the API or a job makes goes through here."""

from tiers.applications.services.applications import (
    add_attachment,
    application_content,
    content_changes,
    create_application,
    lock_application,
    remove_attachment,
    update_application,
)
from tiers.applications.services.bulk import BulkOutcome, bulk_review
from tiers.applications.services.chains import create_batch, ensure_review_chain, regions_by_level
from tiers.applications.services.publicity import (
    add_to_publicity_list,
    create_publicity_list,
    record_objection,
    resolve_objection,
)
from tiers.applications.services.reminders import (
    expiring_recognitions,
    expiry_notice_days,
    notify_expiring_recognitions,
    overdue_applications,
    remind_overdue_reviews,
)
from tiers.applications.services.review import (
    advance_application,
    decision_region,
    grant_application,
    next_stop,
    notify_next_actors,
    pass_application,
    publicity_refusal,
    recommend_application,
    refuse_application,
    reject_application,
    resubmit_application,
    return_application,
    submit_application,
)

__all__ = [
    "BulkOutcome",
    "add_attachment",
    "add_to_publicity_list",
    "advance_application",
    "application_content",
    "bulk_review",
    "content_changes",
    "create_application",
    "create_batch",
    "create_publicity_list",
    "decision_region",
    "ensure_review_chain",
    "expiring_recognitions",
    "expiry_notice_days",
    "grant_application",
    "lock_application",
    "next_stop",
    "notify_expiring_recognitions",
    "notify_next_actors",
    "overdue_applications",
    "pass_application",
    "publicity_refusal",
    "recommend_application",
    "record_objection",
    "refuse_application",
    "regions_by_level",
    "reject_application",
    "remind_overdue_reviews",
    "remove_attachment",
    "resolve_objection",
    "resubmit_application",
    "return_application",
    "submit_application",
    "update_application",
]
