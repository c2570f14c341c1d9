from portal.models.audit import AuditEvent
from portal.models.jobs import Job, WorkerHeartbeat
from portal.models.notifications import Notification
from portal.models.regions import Department, Region
from portal.models.users import Role, User

__all__ = ["AuditEvent", "Department", "Job", "Notification", "Region", "Role", "User", "WorkerHeartbeat"]
