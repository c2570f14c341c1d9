from portal.models.audit import AuditEvent
from portal.models.briefings import Briefing
from portal.models.dashboard import DashboardSnapshot, DashboardTally
from portal.models.jobs import Job, WorkerHeartbeat
from portal.models.notifications import Notification
from portal.models.regions import Department, Region
from portal.models.users import Role, User

__all__ = [
    "AuditEvent",
    "Briefing",
    "DashboardSnapshot",
    "DashboardTally",
    "Department",
    "Job",
    "Notification",
    "Region",
    "Role",
    "User",
    "WorkerHeartbeat",
]
