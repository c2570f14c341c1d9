"""The documents as loaded match the documents as written."""

import re

from portal.models import AuditEvent
from tasks.models import Measure, Policy, Target, TargetConflict
from tasks.policies.documents import documents_dir

# The specification beside the checkout when present; otherwise the copy kept in fixtures/.
ZHONGWEI = documents_dir() / "000_965fdd987a6aec24.txt"

# How the document abbreviates, written out by hand for this test (not taken from the resolver).
ZHONGWEI_NAMES = {
    "市委组织部": ["市委组织部"],
    "市工业和信息化局": ["市工业和信息化局"],
    "工业和信息化局": ["市工业和信息化局"],
    "财政局": ["市财政局"],
    "人社局": ["市人力资源和社会保障局"],
    "市场监管局": ["市市场监督管理局"],
    "农业农村局": ["市农业农村局"],
    "自然资源局": ["市自然资源局"],
    "生态环境局": ["市生态环境局"],
    "应急局": ["市应急管理局"],
    "云计算和大数据局": ["市云计算和大数据局"],
    "市发展和改革委员会": ["市发展和改革委员会"],
    "金融工作局": ["市金融工作局"],
    "科技局": ["市科技局"],
    "市科技局": ["市科技局"],
    "各县（区）人民政府": ["沙坡头区人民政府", "中宁县人民政府", "海原县人民政府"],
    "中卫工业园区管委会": ["中卫工业园区管委会"],
    "海兴开发区": ["海兴开发区管委会"],
}


def _document_rows() -> tuple[list[str], list[list[str]]]:
    sections, rows = [], []
    for line in ZHONGWEI.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if re.match(r"^\(.\)", cells[0]):
            sections.append(cells[0])
        elif cells[0].isdigit():
            rows.append(cells)
    return sections, rows


def _names(units_text: str) -> list[str]:
    names: list[str] = []
    for fragment in re.split(r"[、，]", units_text):
        for name in ZHONGWEI_NAMES[fragment.strip()]:
            if name not in names:
                names.append(name)
    return names


def _numbers(text: str, year: int) -> list[int]:
    clause = re.search(rf"到\s*{year}\s*年，([^；。]+)", text)
    return sorted(int(n) for n in re.findall(r"(\d+)\s*家", clause.group(1))) if clause else []


def test_zhongwei_task_list_matches_the_document(loaded):
    """12 tasks in 3 sections, the same lead and supporting units, the same 2025 and 2027 numbers."""
    sections, rows = _document_rows()
    policy = Policy.objects.get(code="zhongwei-task-list")
    measures = list(Measure.objects.filter(policy=policy).prefetch_related("unit_links__department", "targets"))
    assert len(rows) == 12 and len(sections) == 3
    assert [m.number for m in measures] == [row[0] for row in rows]
    assert list(dict.fromkeys(m.section for m in measures)) == sections
    for measure, (number, text, lead, supporting) in zip(measures, rows, strict=True):
        links = sorted(measure.unit_links.all(), key=lambda link: link.order)
        assert measure.text == text
        assert [link.department.name for link in links if link.is_lead] == _names(lead), number
        assert [link.department.name for link in links if not link.is_lead] == _names(supporting), number
        for year in (2025, 2027):
            stated = sorted(int(t.value) for t in measure.targets.all() if t.year == year)
            assert stated == _numbers(text, year), (number, year)


def test_every_document_loads_its_numbered_measures(loaded):
    """西宁 1–9, 宁夏 （一）–（十五）, 鄂尔多斯 （一）–（十四）, 博州 1–24 (21 重点任务 + 3 保障措施)."""
    numbers = {
        code: list(Measure.objects.filter(policy__code=code).values_list("number", flat=True))
        for code in ("xining-2023-32", "ningxia-srdi-2024", "ordos-srdi-2022", "bozhou-2023-62")
    }
    assert numbers["xining-2023-32"] == [str(n) for n in range(1, 10)]
    assert len(numbers["ningxia-srdi-2024"]) == 15 and numbers["ningxia-srdi-2024"][-1] == "（十五）"
    assert len(numbers["ordos-srdi-2022"]) == 14 and numbers["ordos-srdi-2022"][0] == "（一）"
    assert numbers["bozhou-2023-62"] == [str(n) for n in range(1, 25)]
    assert not Measure.objects.exclude(unresolved_units=[]).exists()
    xining = Policy.objects.get(code="xining-2023-32")
    assert (xining.document_number, str(xining.issued_on)) == ("宁政办〔2023〕32号", "2023-06-16")
    assert Policy.objects.get(code="bozhou-2023-62").document_number == "博州政办发〔2023〕62号"


def test_units_follow_the_document_order_and_lead_rule(loaded):
    """鄂尔多斯: the first unit listed leads; 博州 names two lead units for measure 4; 宁夏 expands 各市、县〔区〕."""
    ordos = Measure.objects.get(policy__code="ordos-srdi-2022", number="（五）")
    assert [link.department.name for link in ordos.unit_links.order_by("order") if link.is_lead] == ["市市场监督管理局"]
    bozhou = Measure.objects.get(policy__code="bozhou-2023-62", number="4")
    leads = [link.department.name for link in bozhou.unit_links.order_by("order") if link.is_lead]
    assert leads == ["州工业和信息化局", "州科学技术局"]
    ningxia = Measure.objects.get(policy__code="ningxia-srdi-2024", number="（三）")
    names = [link.department.name for link in ningxia.unit_links.order_by("order")]
    assert names[0] == "自治区工业和信息化厅" and "中卫市人民政府" in names and "海原县人民政府" in names


def test_baselines_are_derived_and_contradictions_flagged(loaded):
    """中卫 task 2: 70 − 6 − 9 = 55 at the start; 西宁 80 户 vs 70 户 is a conflict, both kept."""
    task2 = Target.objects.filter(measure__policy__code="zhongwei-task-list", measure__number="2")
    assert {int(t.baseline) for t in task2} == {55}
    assert {t.baseline_source for t in task2} == {"derived"}
    assert "64 − 9 = 55" in task2.first().derivation
    bozhou = Target.objects.get(key="bz-goal-innovative")
    assert (int(bozhou.baseline), bozhou.baseline_source, int(bozhou.value)) == (37, "stated", 70)
    conflict = TargetConflict.objects.get(policy__code="xining-2023-32")
    assert {int(conflict.first.value), int(conflict.second.value)} == {80, 70}
    assert "80户" in conflict.explanation and "70户" in conflict.explanation


def test_loading_twice_changes_nothing_and_restores_edits(loaded):
    """The loader is idempotent: a second run writes no row and no audit event; a tampered text is restored."""
    events = AuditEvent.objects.count()
    counts = {model: model.objects.count() for model in (Policy, Measure, Target, TargetConflict)}
    from tasks.policies import load_policies

    assert load_policies() == loaded
    assert AuditEvent.objects.count() == events
    assert {model: model.objects.count() for model in counts} == counts
    measure = Measure.objects.get(policy__code="zhongwei-task-list", number="2")
    original = measure.text
    Measure.objects.filter(pk=measure.pk).update(text="改过的")
    measure.unit_links.filter(is_lead=False).first().delete()
    load_policies()
    measure.refresh_from_db()
    assert measure.text == original
    assert measure.unit_links.count() == 13
