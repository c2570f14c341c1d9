"""Fixtures shared by every app's tests and the cross-app tests in tests/."""

import os

import pytest

from portal.tests.factories import DepartmentFactory, RegionFactory, UserFactory


@pytest.fixture
def region_tree(db):
    """A small tree: 宁夏 → 中卫市 → {沙坡头区, 中宁县}, and 青海 → 西宁市."""
    ningxia = RegionFactory(name="宁夏回族自治区", code="640000", kind="province", parent=None)
    zhongwei = RegionFactory(name="中卫市", code="640500", kind="city", parent=ningxia)
    shapotou = RegionFactory(name="沙坡头区", code="640502", kind="county", parent=zhongwei)
    zhongning = RegionFactory(name="中宁县", code="640521", kind="county", parent=zhongwei)
    qinghai = RegionFactory(name="青海省", code="630000", kind="province", parent=None)
    xining = RegionFactory(name="西宁市", code="630100", kind="city", parent=qinghai)
    return {
        "ningxia": ningxia,
        "zhongwei": zhongwei,
        "shapotou": shapotou,
        "zhongning": zhongning,
        "qinghai": qinghai,
        "xining": xining,
    }


@pytest.fixture
def users(region_tree):
    """One user per role, scoped like the demo accounts."""
    industry_bureau = DepartmentFactory(name="市工业和信息化局", region=region_tree["zhongwei"])
    science_bureau = DepartmentFactory(name="市科技局", region=region_tree["zhongwei"])
    return {
        "admin": UserFactory(username="t_admin", role="admin", region=None, is_superuser=True, is_staff=True),
        "zw_leader": UserFactory(username="t_zw_leader", role="leader", region=region_tree["zhongwei"]),
        "zw_staff": UserFactory(
            username="t_zw_staff", role="staff", region=region_tree["zhongwei"], department=industry_bureau
        ),
        "spt_staff": UserFactory(username="t_spt_staff", role="staff", region=region_tree["shapotou"]),
        "zn_staff": UserFactory(username="t_zn_staff", role="staff", region=region_tree["zhongning"]),
        "zw_liaison": UserFactory(
            username="t_zw_liaison", role="liaison", region=region_tree["zhongwei"], department=science_bureau
        ),
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a browser downloaded by Playwright."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_collection_modifyitems(config, items):
    """The order pytest-xdist hands the suite out in (`--dist loadfile`, see the Makefile).

    Each test file runs whole on one worker, so a module's expensive fixtures (the crawl's
    demo data, a browser) are built once and the real-Celery-worker tests, which share the
    broker, never run side by side. The longest files come first — those that start
    throwaway deployments, then the browser ones — and the Makefile keeps this order
    (--no-loadscope-reorder), so the short files fill in around them.
    """
    items.sort(key=_order)


def _order(item: pytest.Item) -> int:
    if "ops_cluster" in item.fixturenames:
        return 0
    if "/browser/" in str(item.path):
        return 1
    return 2
