"""Writes about applications. Every change a person, the API or a job makes goes through here."""

from tiers.applications.services.applications import (
    add_attachment,
    application_content,
    content_changes,
    create_application,
    lock_application,
    remove_attachment,
    store_attachment,
    update_application,
)
from tiers.applications.services.bulk import BulkOutcome, bulk_review
from tiers.applications.services.chains import create_batch, ensure_review_chain, regions_by_level
from tiers.applications.services.decisions import grant_application, publicity_refusal, refuse_application
from tiers.applications.services.depth import (
    ScoreItem,
    opinion_departments,
    record_opinion,
    record_site_check,
    request_opinion,
    review_score_item,
    reviewed_score,
    score_items,
    site_check_refusal,
)
from tiers.applications.services.moves import decision_region, next_stop, notify_next_actors
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
from tiers.applications.services.responsibilities import load_responsibilities, update_responsibility
from tiers.applications.services.review import (
    TRANSITION_SERVICES,
    advance_application,
    pass_application,
    recommend_application,
    reject_application,
    resubmit_application,
    return_application,
    submit_application,
)

__all__ = [
    "TRANSITION_SERVICES",
    "BulkOutcome",
    "ScoreItem",
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
    "load_responsibilities",
    "lock_application",
    "next_stop",
    "notify_expiring_recognitions",
    "notify_next_actors",
    "opinion_departments",
    "overdue_applications",
    "pass_application",
    "publicity_refusal",
    "recommend_application",
    "record_objection",
    "record_opinion",
    "record_site_check",
    "refuse_application",
    "regions_by_level",
    "reject_application",
    "remind_overdue_reviews",
    "remove_attachment",
    "request_opinion",
    "resolve_objection",
    "resubmit_application",
    "return_application",
    "review_score_item",
    "reviewed_score",
    "score_items",
    "site_check_refusal",
    "store_attachment",
    "submit_application",
    "update_application",
    "update_responsibility",
]
