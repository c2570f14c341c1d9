"""Background job of the compliance importer: takes the job's id and calls one service."""

from celery import shared_task

from enterprises.compliance import services
from portal.services import run_job


@shared_task(name="enterprises.jobs.commit_compliance", ignore_result=True)
def commit_compliance(job_id: int) -> None:
    """The commit of a large compliance export; all or nothing."""
    run_job(
        job_id=job_id,
        body=lambda context: services.run_compliance_commit(
            compliance_import_id=context.params["compliance_import_id"], progress=context.progress
        ),
    )
