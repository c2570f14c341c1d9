"""Stored values read as people do: labels, choice labels, 是/否, units, dates and origins."""

import pytest
from django.utils import translation

from portal import labels


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_an_entitlements_shares_show_as_amounts_per_funder_not_a_crash():
    """The change load_demo writes for an entitlement has a reverse relation's key, "shares"."""
    rows = labels.change_rows(
        "incentives.entitlement", {"amount": [None, "25"], "shares": [None, {"博尔塔拉蒙古自治州": "25"}]}
    )

    assert rows == [("应兑现金额", "—", "25.00 万元"), ("分担份额", "—", "博尔塔拉蒙古自治州 25.00 万元")]


def test_choices_booleans_dates_and_people_read_as_words():
    rows = dict(
        (label, after)
        for label, _before, after in labels.change_rows(
            "enterprises.enterprise",
            {"size_class": [None, "micro"], "is_listed": [None, False], "registered_on": [None, "2010-01-27"]},
        )
    )
    recognition = dict(
        (label, after)
        for label, _b, after in labels.change_rows(
            "tiers.recognition", {"status": [None, "valid"], "source": [None, "roster"]}
        )
    )

    assert rows == {"企业规模": "微型", "上市企业": "否", "注册日期": "2010-01-27"}
    assert "valid" not in recognition.values() and "roster" not in recognition.values()
    assert labels.display_value(labels.model_for("enterprises.annualindicator"), "employees", 264) == "264 人"


def test_application_changes_name_the_indicator_and_the_action():
    rows = labels.change_rows(
        "tiers.application", {"indicators.rd_expense": ["300", "320.5"], "action": [None, "submit"]}
    )

    assert rows[0] == ("研发费用", "300.00 万元", "320.50 万元")
    assert rows[1][2] == "已提交"


@pytest.mark.parametrize(
    ("origin", "text"),
    [
        ("command:load_demo", "演示数据导入"),
        ("import:12", "名册导入 #12"),
        ("job:tiers.jobs.recompute_all#5", "夜间重算 #5"),
        ("10.64.5.21", "网页操作（10.64.5.21）"),
        ("", "—"),
    ],
)
def test_origins_read_as_people_say_them(origin, text):
    assert labels.origin_label(origin) == text


def test_sign_in_notes_read_as_people_say_them():
    """The audit log names the door a sign-in came through, and a lockout, in Chinese."""
    from django.utils import translation

    from portal.labels import note_label

    with translation.override("zh-hans"):
        assert note_label("page") == "登录页面"
        assert note_label("api token: locked out") == "API 令牌（已锁定）"
        assert note_label("由财政部门确认") == "由财政部门确认"
