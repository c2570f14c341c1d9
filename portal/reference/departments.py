"""The government units the five documents make responsible for a measure.

Each unit has one canonical full name within its region ("市市场监督管理局"
in 中卫市) and keeps the forms the documents write as aliases ("市市场监管局").
Aliases carry the level prefix (市/州/自治区) because the resolver puts the
prefix back on abbreviated list items before looking them up.

County governments and park committees are derived from the region tree, so
every county and park has exactly one.
"""

from dataclasses import dataclass

from portal.models import Department, Region
from portal.reference.regions import REGIONS, RegionSpec

BUREAU = Department.Kind.BUREAU
GOVERNMENT = Department.Kind.GOVERNMENT
PARK_COMMITTEE = Department.Kind.PARK_COMMITTEE
OTHER = Department.Kind.OTHER


@dataclass(frozen=True)
class DepartmentSpec:
    region_code: str
    name: str
    kind: str = BUREAU
    aliases: tuple[str, ...] = ()


def _units(region_code: str, *rows: tuple) -> list[DepartmentSpec]:
    """Rows of (name, *aliases) or (name, kind, *aliases) for one region."""
    specs = []
    for name, *rest in rows:
        kind = rest.pop(0) if rest and rest[0] in Department.Kind.values else BUREAU
        specs.append(DepartmentSpec(region_code, name, kind, tuple(rest)))
    return specs


# 宁夏回族自治区 (002): the units in brackets after each measure.
NINGXIA = _units(
    "640000",
    ("自治区工业和信息化厅", "自治区工信厅"),
    ("自治区发展和改革委员会", "自治区发展改革委", "自治区发改委"),
    ("自治区科学技术厅", "自治区科技厅"),
    ("自治区财政厅",),
    ("自治区市场监督管理厅", "自治区市场监管厅"),
    ("自治区地方金融管理局",),
    ("国家税务总局宁夏回族自治区税务局", "自治区税务局", "宁夏税务局"),
    ("自治区人民政府国有资产监督管理委员会", "自治区国资委", "自治区国有资产监督管理委员会"),
    ("自治区教育厅",),
    ("自治区人力资源和社会保障厅", "自治区人社厅", "自治区人力资源社会保障厅"),
    ("自治区自然资源厅",),
    ("自治区生态环境厅",),
    ("自治区司法厅",),
    ("自治区商务厅",),
    ("自治区科学技术协会", OTHER, "自治区科协"),
    ("国家金融监督管理总局宁夏监管局", OTHER, "宁夏金融监管局"),
    ("中国人民银行宁夏回族自治区分行", OTHER, "人民银行宁夏分行", "人行宁夏分行"),
    ("中国证券监督管理委员会宁夏监管局", OTHER, "宁夏证监局"),
    ("中华人民共和国银川海关", OTHER, "银川海关"),
)

# 中卫市 (000): 牵头部门 and 配合部门 columns of the task list.
ZHONGWEI = _units(
    "640500",
    ("中卫市人民政府", GOVERNMENT, "市人民政府", "市政府", "中卫市政府"),
    ("市委组织部", OTHER, "中共中卫市委组织部"),
    ("市科技局", "市科学技术局"),
    ("市工业和信息化局", "市工信局"),
    ("市财政局",),
    ("市人力资源和社会保障局", "市人社局", "市人力资源社会保障局"),
    ("市市场监督管理局", "市市场监管局"),
    ("市农业农村局",),
    ("市自然资源局",),
    ("市生态环境局",),
    ("市应急管理局", "市应急局"),
    ("市云计算和大数据局", "市云计算和大数据发展局"),
    ("市发展和改革委员会", "市发展改革委", "市发改委"),
    ("市金融工作局",),
)

# 青海省: named in 001's text ("省工信厅每年度组织…"), not in a list.
QINGHAI = _units("630000", ("省工业和信息化厅", "省工信厅"))

# 西宁市 (001): the 责任单位 lines.
XINING = _units(
    "630100",
    ("西宁市人民政府", GOVERNMENT, "市人民政府", "市政府", "西宁市政府"),
    ("市工业和信息化局", "市工信局"),
    ("市财政局",),
    ("市科技局", "市科学技术局"),
    ("市商务局",),
    ("市市场监督管理局", "市市场监管局"),
    ("市人民政府金融工作办公室", "市金融办", "市政府金融办"),
    ("市发展和改革委员会", "市发展改革委", "市发改委"),
)

# 鄂尔多斯市 (003): the units in brackets after each task.
ORDOS = _units(
    "150600",
    ("鄂尔多斯市人民政府", GOVERNMENT, "市人民政府", "市政府", "鄂尔多斯市政府"),
    ("市工业和信息化局", "市工信局"),
    ("市财政局",),
    ("市科学技术局", "市科技局"),
    ("市发展和改革委员会", "市发展改革委", "市发改委"),
    ("市能源局",),
    ("市市场监督管理局", "市市场监管局"),
    ("市人民政府金融工作办公室", "市金融办", "市政府金融办"),
    ("中国人民银行鄂尔多斯市中心支行", OTHER, "人民银行鄂尔多斯市中心支行", "人行鄂尔多斯市中心支行"),
    ("中国银行保险监督管理委员会鄂尔多斯监管分局", OTHER, "市银保监分局", "鄂尔多斯银保监分局"),
    ("市国有资产监督管理委员会", "市国资委"),
    ("鄂尔多斯市转型发展投资有限责任公司", OTHER, "市转型发展投资有限责任公司"),
    ("市自然资源局",),
    ("市生态环境局",),
    ("市林业和草原局", "市林草局"),
    ("市水利局",),
    ("市委组织部", OTHER, "中共鄂尔多斯市委组织部"),
    ("市人力资源和社会保障局", "市人社局", "市人力资源社会保障局"),
    ("市教育体育局",),
    ("市商务局",),
    ("中国国际贸易促进委员会鄂尔多斯市委员会", OTHER, "鄂尔多斯市贸促会", "市贸促会"),
    ("市工商业联合会", OTHER, "市工商联"),
)

# 博尔塔拉蒙古自治州 (004): 牵头单位 and 责任单位 of each task.
BORTALA = _units(
    "652700",
    ("博尔塔拉蒙古自治州人民政府", GOVERNMENT, "州人民政府", "州政府", "自治州人民政府", "博州人民政府"),
    ("州工业和信息化局", "州工信局", "博州工业和信息化局", "博州工信局"),
    ("州财政局", "博州财政局"),
    ("州科学技术局", "州科技局", "博州科技局"),
    ("州农业农村局", "博州农业农村局"),
    ("州党委组织部", OTHER, "州委组织部"),
    ("州党委宣传部", OTHER, "州委宣传部"),
    ("州教育局",),
    ("国家税务总局博尔塔拉蒙古自治州税务局", OTHER, "州税务局", "博州税务局"),
    ("州商务局",),
    ("州市场监督管理局", "州市场监管局"),
    ("州金融服务中心", OTHER),
    ("州工商业联合会", OTHER, "州工商联"),
    ("州人力资源和社会保障局", "州人社局", "州人力资源社会保障局"),
    ("州发展和改革委员会", "州发展改革委", "州发改委"),
    ("州生态环境局",),
    ("州应急管理局", "州应急局"),
    (
        "州减轻企业负担领导小组办公室",
        OTHER,
        "自治州促进中小企业、民营经济发展和减轻企业负担工作领导小组办公室",
    ),
    ("中国人民银行博尔塔拉蒙古自治州中心支行", OTHER, "人行博州中心支行", "人民银行博州中心支行"),
    ("国家金融监督管理总局博尔塔拉监管分局", OTHER, "博州金融监管分局"),
)

# Long forms 001 uses for the development zone's committee.
PARK_COMMITTEE_ALIASES = {
    "630100-P01": (
        "西宁国家级经济技术开发区管委会",
        "西宁国家级经济技术开发区(青海国家高新技术产业开发区)管委会",
        "青海国家高新技术产业开发区管委会",
        "经济技术开发区管委会",
    ),
}


def _local_governments(regions: tuple[RegionSpec, ...]) -> list[DepartmentSpec]:
    """One people's government per county, one management committee per park."""
    specs = []
    for region in regions:
        names = [region.name] + ([region.short_name] if region.short_name else [])
        if region.kind == Region.Kind.COUNTY:
            aliases = [f"{names[0]}政府"] + [form for name in names[1:] for form in (f"{name}人民政府", f"{name}政府")]
            specs.append(DepartmentSpec(region.code, f"{region.name}人民政府", GOVERNMENT, tuple(aliases)))
        elif region.kind == Region.Kind.PARK:
            aliases = [names[0], f"{names[0]}管理委员会"]
            aliases += [form for name in names[1:] for form in (name, f"{name}管委会", f"{name}管理委员会")]
            aliases += PARK_COMMITTEE_ALIASES.get(region.code, ())
            specs.append(DepartmentSpec(region.code, f"{region.name}管委会", PARK_COMMITTEE, tuple(aliases)))
    return specs


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    *NINGXIA,
    *ZHONGWEI,
    *QINGHAI,
    *XINING,
    *ORDOS,
    *BORTALA,
    *_local_governments(REGIONS),
)
