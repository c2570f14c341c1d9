"""The task list as the 台账 a bureau hands in: the document's columns plus targets, progress and the latest report."""

from collections.abc import Iterator

from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes
from tasks.progress import Progress
from tasks.selectors.task_lists import TaskList

__all__ = ["XLSX_CONTENT_TYPE", "task_list_workbook"]

# The column headers bureaus use; they are data, in Chinese like the document.
HEADER = ["序号", "任务", "牵头部门", "配合部门", "目标", "当前值", "完成进度", "状态", "最新报送"]


def _number(value) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _target_text(progress: Progress) -> str:
    target = progress.target
    value = _number(target.value) + (f"—{_number(target.value_max)}" if target.value_max is not None else "")
    return f"{target.year} {target.label}（{progress.basis_text}）{value}{target.unit}"


def _rows(task_list: TaskList) -> Iterator[list]:
    for row in task_list.rows:
        report = row.latest_report
        targets = row.targets
        yield [
            row.measure.number,
            row.measure.text,
            "、".join(unit.name for unit in row.lead_units) + ("（推定）" if row.is_lead_inferred else ""),
            "、".join(unit.name for unit in row.supporting_units),
            "\n".join(_target_text(p) for p in targets),
            "\n".join(_number(p.current) for p in targets),
            "\n".join(f"{p.percent}%" if p.percent is not None else "—" for p in targets),
            "\n".join(f"{p.status_label}：{p.reason}" if p.reason else str(p.status_label) for p in targets),
            f"{report.period} {report.narrative}" if report else "",
        ]


def task_list_workbook(task_list: TaskList) -> bytes:
    return workbook_bytes([(str(task_list.policy)[:31], HEADER, _rows(task_list))])
