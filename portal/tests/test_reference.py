"""The reference regions and departments, and resolving the documents' unit lists."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.models import AuditEvent, Department, Region
from portal.reference import (
    UnitResolver,
    UnresolvedUnitsError,
    load_regions_and_departments,
    resolve_departments,
    resolve_units,
)
from portal.reference.regions import REGIONS

POLICIES = Path(__file__).resolve().parents[2] / "fixtures" / "policies"


def region_rows():
    return list(
        Region.objects.order_by("code").values_list("code", "name", "short_name", "kind", "parent_id", "path", "depth")
    )


def department_rows():
    return list(Department.objects.order_by("pk").values_list("region_id", "name", "kind", "aliases"))


@pytest.fixture
def reference(db):
    load_regions_and_departments()
    return {region.code: region for region in Region.objects.all()}


def names_under(parent: Region, kind: str) -> set[str]:
    return set(Region.objects.filter(parent=parent, kind=kind).values_list("name", flat=True))


# Loading


def test_loading_twice_changes_nothing(db):
    """A second run writes no region, department or audit event."""
    first = load_regions_and_departments()
    regions, departments, events = region_rows(), department_rows(), AuditEvent.objects.count()

    second = load_regions_and_departments()

    assert first["regions_changed"] == len(REGIONS)
    assert second["regions_changed"] == 0
    assert second["departments_changed"] == 0
    assert region_rows() == regions
    assert department_rows() == departments
    assert AuditEvent.objects.count() == events


def test_load_policies_command_is_idempotent(db):
    """`manage.py load_policies` can be run again and again."""
    call_command("load_policies", stdout=io.StringIO())
    regions, departments = region_rows(), department_rows()
    call_command("load_policies", stdout=io.StringIO())
    assert region_rows() == regions
    assert department_rows() == departments


def test_new_regions_and_departments_are_audited_as_reference_data(db):
    load_regions_and_departments()
    event = AuditEvent.objects.get(object_type="portal.region", object_repr="中卫市")
    assert event.action == AuditEvent.Action.CREATE
    assert event.note == "reference data"
    assert AuditEvent.objects.filter(object_type="portal.department", object_repr="市科技局").count() == 2


def test_existing_regions_are_moved_under_the_country_with_their_children(region_tree):
    """Regions made before the loader (no country root) end up in the tree, paths rewritten below them."""
    shapotou = region_tree["shapotou"]
    load_regions_and_departments()
    shapotou.refresh_from_db()
    china = Region.objects.get(code="000000")
    assert shapotou.path.startswith(china.path)
    assert shapotou.depth == 3
    assert Region.objects.filter(code__in=["640000", "640500", "640502"]).count() == 3


# The tree


def test_every_region_sits_under_its_parent_with_a_consistent_path(reference):
    for region in Region.objects.select_related("parent"):
        if region.parent is None:
            assert region.code == "000000"
            assert region.path == f"{region.pk:05d}."
            assert region.depth == 0
        else:
            assert region.path == f"{region.parent.path}{region.pk:05d}."
            assert region.depth == region.parent.depth + 1


def test_country_and_provinces(reference):
    china = reference["000000"]
    assert (china.name, china.kind) == ("中国", "country")
    assert names_under(china, "province") == {"宁夏回族自治区", "青海省", "内蒙古自治区", "新疆维吾尔自治区"}
    for code in ("640000", "630000", "150000", "650000", "640500", "630100", "150600", "652700"):
        assert code in reference, code


def test_zhongwei_counties_and_parks(reference):
    zhongwei = reference["640500"]
    assert zhongwei.parent.code == "640000"
    assert names_under(zhongwei, "county") == {"沙坡头区", "中宁县", "海原县"}
    assert names_under(zhongwei, "park") == {"中卫工业园区", "海兴开发区"}
    assert [reference[code].name for code in ("640502", "640521", "640522")] == ["沙坡头区", "中宁县", "海原县"]
    assert reference["640500-P01"].name == "中卫工业园区"


def test_xining_counties_and_development_zone_parks(reference):
    xining = reference["630100"]
    assert names_under(xining, "county") == {
        "城东区",
        "城中区",
        "城西区",
        "城北区",
        "湟中区",
        "大通回族土族自治县",
        "湟源县",
    }
    assert reference["630121"].short_name == "大通县"
    zone = Region.objects.get(name="西宁经济技术开发区")
    assert zone.parent == xining
    assert names_under(zone, "park") == {"东川工业园区", "甘河工业园区", "南川工业园区", "生物科技产业园区"}


def test_ordos_banners_and_districts(reference):
    ordos = reference["150600"]
    assert names_under(ordos, "county") == {
        "东胜区", "康巴什区", "达拉特旗", "准格尔旗", "鄂托克前旗", "鄂托克旗", "杭锦旗", "乌审旗", "伊金霍洛旗"
    }  # fmt: skip
    assert "准格尔经济开发区" in names_under(ordos, "park")


def test_bortala_counties_and_zones(reference):
    bortala = reference["652700"]
    assert bortala.name == "博尔塔拉蒙古自治州"
    assert bortala.short_name == "博州"
    assert names_under(bortala, "county") == {"博乐市", "阿拉山口市", "精河县", "温泉县"}
    assert names_under(bortala, "park") == {"阿拉山口综合保税区", "赛里木湖景区"}


def test_every_county_has_a_government_and_every_park_a_committee(reference):
    for region in Region.objects.filter(kind__in=["county", "park"]):
        kind = "government" if region.kind == "county" else "park_committee"
        assert Department.objects.filter(region=region, kind=kind).count() == 1, region.name


@pytest.mark.parametrize(
    ("region_code", "name", "alias"),
    [
        ("640500", "市人力资源和社会保障局", "市人社局"),
        ("640500", "市市场监督管理局", "市市场监管局"),
        ("640500", "市应急管理局", "市应急局"),
        ("640500", "市云计算和大数据局", ""),
        ("640500", "市金融工作局", ""),
        ("640500-P02", "海兴开发区管委会", "海兴开发区"),
        ("640000", "自治区科学技术协会", "自治区科协"),
        ("640000", "中华人民共和国银川海关", "银川海关"),
        ("630100", "市人民政府金融工作办公室", "市金融办"),
        ("630100", "市发展和改革委员会", "市发展改革委"),
        ("150600", "中国银行保险监督管理委员会鄂尔多斯监管分局", "市银保监分局"),
        ("150600", "中国国际贸易促进委员会鄂尔多斯市委员会", ""),
        ("652700", "州工业和信息化局", "州工信局"),
        ("652700", "中国人民银行博尔塔拉蒙古自治州中心支行", "人行博州中心支行"),
        ("652700", "州减轻企业负担领导小组办公室", ""),
    ],
)
def test_departments_have_full_names_and_keep_the_documents_short_forms(reference, region_code, name, alias):
    department = Department.objects.get(region=reference[region_code], name=name)
    if alias:
        assert alias in department.aliases


# Resolving unit lists


def policy(name: str) -> str:
    return next(POLICIES.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def unit_lists() -> list[tuple[str, str, str]]:
    """(document, region code, unit list) for every list of responsible units in the five documents."""
    lists = []
    for line in policy("000").splitlines():
        columns = line.split("\t")
        if len(columns) == 4 and columns[0].isdigit():
            lists += [("000", "640500", columns[2]), ("000", "640500", columns[3])]
    lists += [("001", "630100", text) for text in re.findall(r"^责任单位[:：](.+)$", policy("001"), re.M)]
    ningxia = policy("002")
    lists += [("002", "640000", text) for text in re.findall(r"[(（](自治区[^()（）]*)[)）]", ningxia)]
    lists += [
        ("002", "640000", text) for text in re.findall(r"(自治区工业和信息化厅、[^。]*?等部门)联合制定", ningxia)[:1]
    ]
    lists += [
        ("003", "150600", text)
        for text in re.findall(r"^（[一二三四五六七八九十]+）.*[（(]([^（）()]*)[）)]\s*$", policy("003"), re.M)
    ]
    lists += [("004", "652700", text) for text in re.findall(r"[（(](牵头\s*单位[：:].*?)[）)]", policy("004"), re.S)]
    return lists


def test_the_documents_unit_lists_are_all_found():
    counts = {}
    for document, _region, _text in unit_lists():
        counts[document] = counts.get(document, 0) + 1
    # 12 tasks × (牵头, 配合); 9 责任单位 lines; 15 measures + the issuing departments; 14 tasks; 24 tasks.
    assert counts == {"000": 24, "001": 9, "002": 16, "003": 14, "004": 24}


def test_every_unit_in_the_five_documents_resolves(reference):
    resolvers: dict[str, UnitResolver] = {}
    unresolved = []
    for document, region_code, text in unit_lists():
        resolver = resolvers.setdefault(region_code, UnitResolver(reference[region_code]))
        units = resolver.resolve(text)
        assert units, text
        unresolved += [(document, unit.text) for unit in units if not unit.is_resolved]
    assert unresolved == []


def test_zhongwei_task_one(reference):
    """Prefix carry-over, short forms, county governments and parks, in the document's order."""
    lead, support = next(
        (columns[2], columns[3]) for line in policy("000").splitlines() if (columns := line.split("\t"))[0] == "1"
    )
    assert [d.name for d in resolve_departments(lead, region=reference["640500"])] == ["市科技局"]
    assert [d.name for d in resolve_departments(support, region=reference["640500"])] == [
        "市委组织部",
        "市工业和信息化局",
        "市财政局",
        "市人力资源和社会保障局",
        "市市场监督管理局",
        "市农业农村局",
        "市自然资源局",
        "市生态环境局",
        "沙坡头区人民政府",
        "中宁县人民政府",
        "海原县人民政府",
        "中卫工业园区管委会",
        "海兴开发区管委会",
    ]


def test_county_governments_carry_the_phrase_they_came_from(reference):
    units = resolve_units("市科技局，各县（区）人民政府", region=reference["640500"])
    assert [(unit.text, unit.department.name) for unit in units] == [
        ("市科技局", "市科技局"),
        ("各县(区)人民政府", "沙坡头区人民政府"),
        ("各县(区)人民政府", "中宁县人民政府"),
        ("各县(区)人民政府", "海原县人民政府"),
    ]


def test_xining_park_committees_and_measures_split_by_duty(reference):
    text = "市工业和信息化局、市发展改革委、市科技局、市市场监管局、市商务局、市财政局按职责分工负责,各县区人民政府,经济技术开发区各园区管委会"
    names = [d.name for d in resolve_departments(text, region=reference["630100"])]
    assert names[:6] == [
        "市工业和信息化局",
        "市发展和改革委员会",
        "市科技局",
        "市市场监督管理局",
        "市商务局",
        "市财政局",
    ]
    assert "大通回族土族自治县人民政府" in names
    assert names[-4:] == ["东川工业园区管委会", "甘河工业园区管委会", "南川工业园区管委会", "生物科技产业园区管委会"]


def test_ordos_lead_note_is_not_a_unit(reference):
    text = "责任单位:市工业和信息化局、各旗区人民政府.列第一位的为牵头单位，下同"
    departments = resolve_departments(text, region=reference["150600"])
    assert departments[0].name == "市工业和信息化局"
    assert len(departments) == 10
    assert departments[-1].name == "伊金霍洛旗人民政府"


def test_ordos_development_zones_and_trailing_deng(reference):
    names = [d.name for d in resolve_departments("市水利局等，各经济开发区", region=reference["150600"])]
    assert names[0] == "市水利局"
    assert "准格尔经济开发区管委会" in names


def test_bortala_prefix_carries_over_across_labels_and_line_breaks(reference):
    text = "牵头\n\n单位：州工信局、科技局，责任单位：州党委组织部，州财政局、人社局"
    assert [d.name for d in resolve_departments(text, region=reference["652700"])] == [
        "州工业和信息化局",
        "州科学技术局",
        "州党委组织部",
        "州财政局",
        "州人力资源和社会保障局",
    ]


def test_bortala_county_governments(reference):
    names = [d.name for d in resolve_departments("各县市人民政府", region=reference["652700"])]
    assert names == ["博乐市人民政府", "阿拉山口市人民政府", "精河县人民政府", "温泉县人民政府"]


def test_ningxia_every_city_and_county(reference):
    text = "自治区工业和信息化厅、自治区市场监管厅、各市、县〔区〕"
    assert [d.name for d in resolve_departments(text, region=reference["640000"])] == [
        "自治区工业和信息化厅",
        "自治区市场监督管理厅",
        "中卫市人民政府",
        "沙坡头区人民政府",
        "中宁县人民政府",
        "海原县人民政府",
    ]


def test_a_unit_listed_twice_appears_once_where_first_named(reference):
    names = [d.name for d in resolve_departments("州工信局，州财政局、工信局", region=reference["652700"])]
    assert names == ["州工业和信息化局", "州财政局"]


def test_unknown_fragments_are_reported_not_dropped(reference):
    units = resolve_units("市科技局、宇宙开发局、财政局", region=reference["640500"])
    assert [(unit.text, unit.department.name if unit.department else None) for unit in units] == [
        ("市科技局", "市科技局"),
        ("宇宙开发局", None),
        ("财政局", "市财政局"),
    ]
    with pytest.raises(UnresolvedUnitsError) as error:
        resolve_departments("市科技局、宇宙开发局", region=reference["640500"])
    assert error.value.fragments == ["宇宙开发局"]
    assert str(error.value) == "Unresolved units: 宇宙开发局"


def test_a_short_form_shared_by_two_cities_is_ambiguous_above_them(reference):
    """From the whole country, "市财政局" could be any city's: reported with its candidates."""
    (unit,) = resolve_units("市财政局", region=reference["000000"])
    assert unit.department is None
    assert len(unit.candidates) == 3


def test_a_resolver_is_built_in_two_queries_and_resolves_without_any(reference, django_assert_num_queries):
    with django_assert_num_queries(2):
        resolver = UnitResolver(reference["640500"])
    with django_assert_num_queries(0):
        for _document, region_code, text in unit_lists():
            if region_code == "640500":
                resolver.resolve(text)
