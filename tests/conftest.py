"""Fixtures of the cross-app tests in tests/ (the throwaway deployment ones live in tests/ops)."""

from tests.ops.fixtures import ops_cluster, ops_database, ops_template  # noqa: F401
