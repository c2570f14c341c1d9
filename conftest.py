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


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """How pytest-xdist (`--dist loadgroup`, see the Makefile) shares the suite between processes.

    A test file runs whole on one worker, so a module's expensive fixtures (the crawl's
    demo data, a browser) are built once. The files that start throwaway deployments
    share one worker, so their PostgreSQL cluster (a session fixture) starts once and
    two deployments never compete for the two cores; the browser files share another.
    Those two groups, the longest, are handed out first (the Makefile keeps this order
    with --no-loadscope-reorder); the other files fill in around them.
    """
    first = {"deployments": 0, "browser": 1}
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if "ops_cluster" in item.fixturenames:
            group = "deployments"
        elif item.get_closest_marker("browser"):
            group = "browser"
        else:
            group = str(item.path)
        item.add_marker(pytest.mark.xdist_group(group))
        item.stash[_ORDER] = first.get(group, len(first))
    items.sort(key=lambda item: item.stash.get(_ORDER, len(first)))


_ORDER = pytest.StashKey[int]()
