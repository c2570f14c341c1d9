"""Where the five policy documents live and what the loader knows about each beyond its text.

The files in /work/shared/policies (settings.POLICY_DOCUMENTS_DIR, or the
POLICY_DOCUMENTS_DIR environment variable) are the specification. A copy is
kept in fixtures/policies/ so that a checkout without ../shared still loads;
the configured folder wins when it exists.
"""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

VENDORED_DIR = Path(settings.BASE_DIR) / "fixtures" / "policies"


def documents_dir() -> Path:
    configured = getattr(settings, "POLICY_DOCUMENTS_DIR", None) or os.environ.get("POLICY_DOCUMENTS_DIR")
    folder = Path(configured) if configured else Path(settings.BASE_DIR).parent / "shared" / "policies"
    return folder if folder.is_dir() else VENDORED_DIR


def read_document(filename: str, folder: Path | None = None) -> str:
    return ((folder or documents_dir()) / filename).read_text(encoding="utf-8")


@dataclass(frozen=True)
class PolicySource:
    """What the document does not say about itself, or says in a form the loader cannot read.

    Every value here that the text also states (number, date) is checked against it.
    """

    code: str
    filename: str
    region_code: str
    short_title: str
    issuer: str
    plan_start: datetime.date
    plan_end: datetime.date
    reporting_cycle: str = "quarterly"
    notes: str = ""
    # The plan period is read from the document (博州's title says 2023—2025) or inferred (推定) from its targets.
    is_plan_inferred: bool = True


SOURCES: tuple[PolicySource, ...] = (
    PolicySource(
        code="zhongwei-task-list",
        filename="000_965fdd987a6aec24.txt",
        region_code="640500",
        short_title="中卫市梯次培育任务清单",
        issuer="中卫市人民政府",
        plan_start=datetime.date(2023, 1, 1),
        plan_end=datetime.date(2027, 12, 31),
        notes="附件没有文号和日期。计划期按“到2025年”“到2027年”取2023-01-01至2027-12-31。",
    ),
    PolicySource(
        code="xining-2023-32",
        filename="001_9a7fe9fc0c5484c3.txt",
        region_code="630100",
        short_title="西宁市梯度培育若干措施",
        issuer="西宁市人民政府办公室",
        plan_start=datetime.date(2023, 6, 16),
        plan_end=datetime.date(2025, 12, 31),
        notes="计划期自印发之日（2023-06-16）至目标年2025年末。",
    ),
    PolicySource(
        code="ningxia-srdi-2024",
        filename="002_364254226655bf7c.txt",
        region_code="640000",
        short_title="宁夏专精特新高水平发展实施建议",
        issuer="自治区工业和信息化厅、发展改革委、科技厅、财政厅、市场监管厅、地方金融管理局",
        plan_start=datetime.date(2024, 1, 1),
        plan_end=datetime.date(2027, 12, 31),
        notes="文件未载文号和日期；依据的〔2024〕43号为2024年文件，计划期取2024-01-01至2027-12-31。",
    ),
    PolicySource(
        code="ordos-srdi-2022",
        filename="003_c7fcb9406f2dc6ec.txt",
        region_code="150600",
        short_title="鄂尔多斯市专精特新实施意见",
        issuer="鄂尔多斯市人民政府",
        plan_start=datetime.date(2022, 7, 12),
        plan_end=datetime.date(2025, 12, 31),
        notes="文件未载文号。计划期自印发之日（2022-07-12）至目标年2025年末。",
    ),
    PolicySource(
        code="bozhou-2023-62",
        filename="004_26d213afb8da29e9.txt",
        region_code="652700",
        short_title="博州专精特新倍增培育行动计划",
        issuer="博尔塔拉蒙古自治州人民政府办公室",
        plan_start=datetime.date(2023, 1, 1),
        plan_end=datetime.date(2025, 12, 31),
        notes="行动计划（2023—2025年）。工信部门每季度至少上门跟踪指导一次，故按季度报送。",
        is_plan_inferred=False,
    ),
)
