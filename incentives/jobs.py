"""Background work of the incentives app: each job takes ids and calls one service."""

from celery import shared_task

from incentives import services
from portal import services as portal_services


@shared_task(name="incentives.jobs.recompute_entitlements", ignore_result=True, acks_late=True)
def recompute_entitlements(job_id: int) -> None:
    """Owe whatever the rules promise and is not owed yet, and apply revocations made elsewhere. Idempotent."""

    def body(context):
        rule_ids = context.params.get("rule_ids")
        created = services.compute_entitlements_for_rules(rule_ids=rule_ids, actor=context.job.created_by)
        changed = services.sync_revocations(actor=context.job.created_by)
        return {"entitlements_created": created, "shares_changed_by_revocation": changed}

    portal_services.run_job(job_id=job_id, body=body)


@shared_task(name="incentives.jobs.nightly_recompute", ignore_result=True)
def nightly_recompute() -> None:
    """The periodic entry point: queue one durable recompute job."""
    portal_services.queue_job(kind="incentives.jobs.recompute_entitlements", actor=None)
