"""The Redis transport of Celery, surviving a Redis restart.

With celery and kombu 5.7.0 a worker whose Redis connection drops exits with
"Unrecoverable error: AttributeError('NoneType' object has no attribute
'hostname')" instead of reconnecting. Once the broken connection is collected,
its channel has no connection details left, yet two paths still use it: closing
the channel (which restores unacknowledged messages) and acknowledging a task
that was running during the outage (acks_late). Both raise AttributeError, which
the worker does not expect. Here they raise the connection error that kombu and
Celery handle: the close is skipped, and the late ack is logged and dropped — the
message comes back after the visibility timeout and finds its job finished.
Reproduced by tests/test_faults.py; drop this once kombu handles it.
"""

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        if self.connection.client is None:
            raise RedisConnectionError("the broker connection this channel belonged to was closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
