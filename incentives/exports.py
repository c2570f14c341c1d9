"""Excel for finance offices: entitlements and payments per funder, and the budget table with its forecast.

Column headers are the Chinese ones the bureaus' own sheets use; every cell goes
through portal.excel, which escapes anything a spreadsheet could run as a formula.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from incentives.forecast import Forecast
from incentives.models import Entitlement, Payment
from incentives.selectors import BudgetRow
from portal.excel import XLSX_CONTENT_TYPE, workbook_bytes

__all__ = ["XLSX_CONTENT_TYPE", "budget_workbook", "entitlement_workbook"]

SHARE_HEADER = [
    "收款方",
    "收款方类型",
    "企业",
    "统一社会信用代码",
    "受益地区",
    "政策依据",
    "奖励项目",
    "计算",
    "认定/事项日期",
    "预算年度",
    "应兑现总额（万元）",
    "付款方",
    "出资比例（%）",
    "出资比例是否推定",
    "出资方应付（万元）",
    "已审核（万元）",
    "已兑付（万元）",
    "已追回（万元）",
    "状态",
]
PAYMENT_HEADER = ["付款方", "收款方", "奖励项目", "类型", "批次", "金额（万元）", "日期", "凭证号", "原因"]
BUDGET_HEADER = [
    "出资方",
    "预算年度",
    "预算额度（万元）",
    "已审核（万元）",
    "可用额度（万元）",
    "已用比例（%）",
    "笔数",
    "应兑现（万元）",
    "其中出资比例推定（万元）",
    "待补充数据（万元）",
    "已兑付（万元）",
    "未兑付（万元）",
    "待追回（万元）",
    "目标成本预测（万元）",
]


def _share_rows(entitlements: QuerySet[Entitlement]) -> Iterator[list]:
    for entitlement in entitlements.iterator(chunk_size=500):
        for share in entitlement.visible_shares:
            yield [
                entitlement.recipient_name,
                entitlement.recipient_kind,
                entitlement.enterprise.name if entitlement.enterprise_id else "",
                entitlement.enterprise.credit_code if entitlement.enterprise_id else "",
                entitlement.beneficiary_region.name,
                entitlement.basis,
                entitlement.rule.name,
                entitlement.calculation,
                entitlement.trigger_date,
                entitlement.budget_year,
                entitlement.amount,
                share.payer_name,
                share.percent,
                "推定" if share.is_presumed else "已确认",
                share.amount,
                share.approved_amount,
                share.paid_amount,
                share.clawed_back_amount,
                share.get_status_display(),
            ]


def _payment_rows(payments: QuerySet[Payment]) -> Iterator[list]:
    for payment in payments.iterator(chunk_size=1000):
        entitlement = payment.share.entitlement
        yield [
            payment.share.payer_name,
            entitlement.recipient_name,
            entitlement.rule.name,
            payment.get_kind_display(),
            payment.tranche,
            payment.amount,
            payment.paid_on,
            payment.voucher_no,
            payment.reason,
        ]


def entitlement_workbook(entitlements: QuerySet[Entitlement], payments: QuerySet[Payment]) -> bytes:
    return workbook_bytes(
        [("应兑现明细", SHARE_HEADER, _share_rows(entitlements)), ("兑付记录", PAYMENT_HEADER, _payment_rows(payments))]
    )


def budget_workbook(rows: list[BudgetRow], forecast: Forecast) -> bytes:
    budget = (
        [
            row.funder,
            row.year,
            row.allocated,
            row.approved,
            row.available,
            row.used_percent,
            row.count,
            row.owed,
            row.presumed,
            row.awaiting_data,
            row.paid,
            row.outstanding,
            row.clawback_due,
            row.forecast,
        ]
        for row in rows
    )
    forecast_header = ["出资方", *(f"{year}年预测（万元）" for year in forecast.years)]
    forecast_rows = [[label, *(values[year] for year in forecast.years)] for label, values in forecast.rows]
    forecast_rows.append(["合计", *(forecast.totals.get(year) for year in forecast.years)])
    assumptions = [[str(text)] for text in forecast.assumptions]
    return workbook_bytes(
        [
            ("预算执行", BUDGET_HEADER, budget),
            ("目标成本预测", forecast_header, forecast_rows),
            ("预测假设", ["假设"], assumptions),
        ]
    )
