"""The demo accounts the README lists, one or more per role, all with one published password."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from portal.audit import record_event, snapshot
from portal.models import AuditEvent, Department, Region, Role, User
from seed.demo.workflow import load_county_departments

DEMO_PASSWORD = "Portal-Demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    region_code: str
    department: str = ""
    is_superuser: bool = False
    description: str = ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "系统管理员", Role.ADMIN, "000000", is_superuser=True, description="系统管理员，全国"),
    DemoAccount("nx_leader", "自治区领导", Role.LEADER, "640000", description="领导，宁夏回族自治区"),
    DemoAccount("zw_leader", "中卫市领导", Role.LEADER, "640500", description="领导，中卫市"),
    DemoAccount(
        "zw_staff",
        "中卫市工信局业务员",
        Role.STAFF,
        "640500",
        "市工业和信息化局",
        description="业务科室人员，中卫市 市工业和信息化局",
    ),
    DemoAccount(
        "zw_finance",
        "中卫市财政局业务员",
        Role.STAFF,
        "640500",
        "市财政局",
        description="业务科室人员，中卫市 市财政局",
    ),
    DemoAccount("spt_staff", "沙坡头区业务员", Role.STAFF, "640502", description="业务科室人员，沙坡头区"),
    DemoAccount(
        "zn_staff",
        "中宁县工信局业务员",
        Role.STAFF,
        "640521",
        "县工业和信息化局",
        description="业务科室人员，中宁县 县工业和信息化局",
    ),
    DemoAccount("hy_staff", "海原县业务员", Role.STAFF, "640522", description="业务科室人员，海原县"),
    DemoAccount("zwgy_staff", "中卫工业园区业务员", Role.STAFF, "640500-P01", description="业务科室人员，中卫工业园区"),
    DemoAccount(
        "zw_kjj_liaison",
        "中卫市科技局联络员",
        Role.LIAISON,
        "640500",
        "市科技局",
        description="部门联络员，中卫市 市科技局",
    ),
    DemoAccount(
        "zw_gxj_liaison",
        "中卫市工信局联络员",
        Role.LIAISON,
        "640500",
        "市工业和信息化局",
        description="部门联络员，中卫市 市工业和信息化局",
    ),
    DemoAccount(
        "xn_staff",
        "西宁市工信局业务员",
        Role.STAFF,
        "630100",
        "市工业和信息化局",
        description="业务科室人员，西宁市 市工业和信息化局",
    ),
    DemoAccount(
        "eeds_staff",
        "鄂尔多斯市工信局业务员",
        Role.STAFF,
        "150600",
        "市工业和信息化局",
        description="业务科室人员，鄂尔多斯市 市工业和信息化局",
    ),
    DemoAccount(
        "bz_staff",
        "博州工信局业务员",
        Role.STAFF,
        "652700",
        "州工业和信息化局",
        description="业务科室人员，博尔塔拉蒙古自治州 州工业和信息化局",
    ),
)


# Where the work is: finance in every city that pays rewards, 科技局 staff where tiers split between
# 工信局 and 科技局, and a second county reviewer so that nobody passes their own work.
WORKFLOW_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "zn_staff2",
        "中宁县工信局审核员",
        Role.STAFF,
        "640521",
        "县工业和信息化局",
        description="业务科室人员，中宁县 县工业和信息化局",
    ),
    DemoAccount(
        "zw_kjj_staff",
        "中卫市科技局业务员",
        Role.STAFF,
        "640500",
        "市科技局",
        description="业务科室人员，中卫市 市科技局",
    ),
    DemoAccount(
        "xn_kjj_staff",
        "西宁市科技局业务员",
        Role.STAFF,
        "630100",
        "市科技局",
        description="业务科室人员，西宁市 市科技局",
    ),
    DemoAccount(
        "xn_finance",
        "西宁市财政局业务员",
        Role.STAFF,
        "630100",
        "市财政局",
        description="业务科室人员，西宁市 市财政局",
    ),
    DemoAccount(
        "eeds_finance",
        "鄂尔多斯市财政局业务员",
        Role.STAFF,
        "150600",
        "市财政局",
        description="业务科室人员，鄂尔多斯市 市财政局",
    ),
    DemoAccount(
        "bz_finance",
        "博州财政局业务员",
        Role.STAFF,
        "652700",
        "州财政局",
        description="业务科室人员，博尔塔拉蒙古自治州 州财政局",
    ),
)
DEMO_ACCOUNTS = DEMO_ACCOUNTS + WORKFLOW_ACCOUNTS


def load_accounts(regions: dict[str, Region]) -> dict[str, User]:
    """Create the demo accounts that do not exist yet; existing ones are left as they are, except that an
    account without a department gets the one the table now names (zn_staff joined 县工业和信息化局)."""
    load_county_departments(regions)
    departments = {(dept.region_id, dept.name): dept for dept in Department.objects.all()}
    users = {user.username: user for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
    # One hash for all: the password is the same, published one, and hashing is slow by design.
    password = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        if account.username in users:
            _give_department(users[account.username], account, departments)
            continue
        region = regions[account.region_code]
        user = User.objects.create(
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            region=region,
            department=departments[(region.pk, account.department)] if account.department else None,
            is_superuser=account.is_superuser,
            is_staff=account.is_superuser,
            password=password,
        )
        record_event(
            actor=None,
            action=AuditEvent.Action.CREATE,
            instance=user,
            region=region,
            changes={
                key: [None, value]
                for key, value in snapshot(user, ("username", "role", "region", "department")).items()
            },
            note="demo account",
        )
        users[account.username] = user
    return users


def _give_department(user: User, account: DemoAccount, departments: dict) -> None:
    department = departments.get((user.region_id, account.department)) if account.department else None
    if user.department_id is not None or department is None:
        return
    user.department = department
    user.save(update_fields=["department"])
    record_event(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        region=user.region,
        changes={"department": [None, department.name]},
        note="demo account",
    )
