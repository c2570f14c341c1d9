"""Background jobs of the register. Each takes the job's id and calls one service."""

from celery import shared_task

from enterprises.roster import services as roster_services
from portal.models import Job
from portal.services import run_job


@shared_task(name="enterprises.jobs.analyse_roster", ignore_result=True)
def analyse_roster(job_id: int) -> None:
    """The dry run of a large roster."""
    run_job(
        job_id=job_id,
        body=lambda context: roster_services.analyse_roster_import(
            roster_import_id=context.params["roster_import_id"], progress=context.progress
        ),
    )


@shared_task(name="enterprises.jobs.commit_roster", ignore_result=True)
def commit_roster(job_id: int) -> None:
    """The commit of a large roster; all or nothing."""
    run_job(
        job_id=job_id,
        body=lambda context: roster_services.run_roster_commit(
            roster_import_id=context.params["roster_import_id"], progress=context.progress
        ),
        on_failure=lambda reason: roster_services.fail_roster_commit(
            roster_import_id=Job.objects.get(pk=job_id).params["roster_import_id"], detail=reason
        ),
    )


from enterprises.compliance import jobs as compliance_jobs  # noqa: E402,F401  (registers the compliance commit job)
