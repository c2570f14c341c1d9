"""Throwaway services and portal processes for the topology, fault and API-fuzzing tests.

Every class is a context manager that starts its process, waits until it is
ready, and on exit stops it within a bounded time. Nothing here touches the
machine's own PostgreSQL cluster or Redis beyond creating and dropping a
database whose name it chose.
"""

from tests.ops.http import ApiClient
from tests.ops.processes import (
    CeleryBeat,
    CeleryWorker,
    Deployment,
    Gunicorn,
    PortalEnvironment,
    PostgresCluster,
    RedisServer,
    deploy,
    free_port,
    query,
    running,
    wait_until,
)

__all__ = [
    "ApiClient",
    "CeleryBeat",
    "CeleryWorker",
    "Deployment",
    "Gunicorn",
    "PortalEnvironment",
    "PostgresCluster",
    "RedisServer",
    "deploy",
    "free_port",
    "query",
    "running",
    "wait_until",
]
