"""Django's Redis cache, keeping its client objects instead of making one per operation.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
redis-py fills ~170 response callbacks into a fresh dictionary each time: ~0.15 ms of Python per
call, three or four calls a page (the session, the page's parts). The client over a connection
pool is safe to share (redis-py), and Django's caches are per thread anyway, so one client for
reading and one for writing are kept. Used when ``OPORA_REDIS_URL`` is set
(settings.cache_settings).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    """A :class:`RedisCacheClient` whose clients are made once per connection pool."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One client for reading and one for writing (with replicas, a thread keeps reading
        from the replica its first read chose)."""
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`ReusingRedisCacheClient`."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
