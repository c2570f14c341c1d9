"""Session fixtures: one throwaway PostgreSQL cluster and one migrated template database.

Migrating and loading the reference data takes most of a minute; every test
clones the template instead (CREATE DATABASE … TEMPLATE), which takes a second.
"""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.ops.processes import POSTGRES_BIN, PortalEnvironment, PostgresCluster

TEMPLATE = "portal_template"
_serial = itertools.count(1)


@pytest.fixture(scope="session")
def ops_cluster(tmp_path_factory):
    """A PostgreSQL cluster of the test's own: fault tests stop and restart it, never the machine's."""
    if not (POSTGRES_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL server binaries not found in {POSTGRES_BIN}")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("initdb refuses root and runuser is missing")
    # Not under pytest's temporary folder: that is private to root, and the server runs as `postgres`.
    directory = Path(tempfile.mkdtemp(prefix="portal-ops-pg-"))
    try:
        with PostgresCluster(directory) as cluster:
            yield cluster
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def ops_template(ops_cluster, tmp_path_factory) -> str:
    """The name of a database with every migration and the reference data (load_policies)."""
    url = ops_cluster.create_database(TEMPLATE)
    portal = PortalEnvironment(
        database_url=url, redis_url="redis://127.0.0.1:9/0", directory=tmp_path_factory.mktemp("template")
    )
    portal.run("migrate", "--noinput", "-v", "0", timeout=300)
    portal.run("load_policies", timeout=120)
    return TEMPLATE


@pytest.fixture
def ops_database(ops_cluster, ops_template) -> str:
    """A fresh copy of the template for one test: its URL."""
    name = f"portal_ops_{os.getpid()}_{next(_serial)}"
    return ops_cluster.create_database(name, template=ops_template)
