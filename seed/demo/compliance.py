"""A few compliance records for the demo, so the veto criteria, the enterprise page and the
application warning show something real. Entered through the staff service (audited); idempotent."""

import datetime

from enterprises.compliance.models import ComplianceRecord
from enterprises.compliance.services import record_compliance
from enterprises.models import Enterprise
from portal.models import User

# (region code, which enterprise of the region by name order, record fields)
DEMO_RECORDS = [
    (
        "640502",
        0,
        {
            "kind": ComplianceRecord.Kind.PENALTY,
            "category": ComplianceRecord.Category.SAFETY,
            "is_major": True,
            "listed_on": datetime.date(2025, 3, 18),
            "authority": "中卫市应急管理局",
            "document_number": "卫应急罚〔2025〕12号",
            "reason": "未落实安全生产主体责任，发生一般生产安全事故",
        },
    ),
    (
        "640521",
        1,
        {
            "kind": ComplianceRecord.Kind.ABNORMAL_OPERATION,
            "listed_on": datetime.date(2024, 7, 1),
            "removed_on": datetime.date(2024, 11, 20),
            "authority": "中宁县市场监督管理局",
            "document_number": "宁市监异〔2024〕35号",
            "reason": "未按规定期限公示年度报告",
        },
    ),
    (
        "640522",
        0,
        {
            "kind": ComplianceRecord.Kind.PENALTY,
            "category": ComplianceRecord.Category.ENVIRONMENT,
            "is_major": False,
            "listed_on": datetime.date(2025, 9, 5),
            "authority": "中卫市生态环境局",
            "document_number": "卫环罚〔2025〕21号",
            "reason": "危险废物贮存标识不规范",
        },
    ),
    (
        "640500-P01",
        2,
        {
            "kind": ComplianceRecord.Kind.JUDGMENT_DEFAULTER,
            "listed_on": datetime.date(2025, 12, 2),
            "authority": "中卫市沙坡头区人民法院",
            "document_number": "（2025）宁0502执1203号",
            "reason": "未履行生效判决确定的给付义务",
        },
    ),
]


def load_demo_compliance(*, actor: User) -> int:
    """Enter the demo records that are not there yet; returns how many were entered."""
    created = 0
    for region_code, position, fields in DEMO_RECORDS:
        enterprises = list(Enterprise.objects.filter(region__code=region_code).order_by("name", "pk")[: position + 1])
        if len(enterprises) <= position:
            continue
        enterprise = enterprises[position]
        is_there = ComplianceRecord.objects.filter(
            enterprise=enterprise, document_number=fields["document_number"]
        ).exists()
        if not is_there:
            record_compliance(actor=actor, enterprise=enterprise, **fields)
            created += 1
    return created
