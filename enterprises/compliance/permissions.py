"""Who may read and change compliance records."""

from enterprises.compliance.models import ComplianceRecord
from enterprises.models import Enterprise
from enterprises.permissions import can_edit_enterprise, can_import_rosters, can_view_enterprise
from portal.models import User


def can_view_compliance(user: User, enterprise: Enterprise) -> bool:
    """Whoever may read an enterprise reads its compliance history."""
    return can_view_enterprise(user, enterprise)


def can_record_compliance(user: User, enterprise: Enterprise) -> bool:
    """Bureau staff and administrators enter records for the enterprises of their scope; leaders only read."""
    return can_edit_enterprise(user, enterprise)


def can_change_compliance_record(user: User, record: ComplianceRecord) -> bool:
    """The same people correct or remove a record of an enterprise in their scope."""
    return can_record_compliance(user, record.enterprise)


def can_import_compliance(user: User) -> bool:
    """Credit-information exports are brought in by system administrators, as rosters are."""
    return can_import_rosters(user)
