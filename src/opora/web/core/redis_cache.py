"""Django's Redis cache, keeping its client objects and surviving a Redis that is down.

**One client, not one per call.** Django's ``RedisCacheClient.get_client`` builds a new
``redis.Redis`` for every cache call, and redis-py fills ~170 response callbacks into a fresh
dictionary each time: ~0.15 ms of Python per call, three or four calls a page (the session, the
page's parts). The client over a connection pool is safe to share (redis-py), and Django's caches
are per thread anyway, so one client for reading and one for writing are kept.

**Redis down: the pages go on from the database, loudly** (issue 10). Without this every page
answered 500 while Redis was unreachable: the session is read through the cache. Now a cache
call that cannot reach Redis is a miss (``get`` → nothing, ``set``/``delete`` → not done), the
error is logged at ERROR level, and for :data:`RETRY_SECONDS` no call tries Redis again (one
unreachable server must not cost a timeout per call). What that means for each user of the cache:

* rendered parts of pages are built again from the database (slower, correct);
* sessions (``cached_db``) are read from and written to the database, which always holds them;
* sign-in limits never lived here: they are counted in the database
  (:mod:`opora.web.accounts.throttle`), so a Redis outage does not open them;
* ``incr`` is not softened: a counter that silently stops counting would fail open.

A session ended during the outage (signing out) is deleted from the database but may still be in
Redis, if Redis was only unreachable and kept its data; read back from there it would sign the
person in again. So the first call that reaches Redis again after this process saw it fail
deletes every cached session (:func:`_purge_sessions`) before anything else is read — the
sessions are all in the database, nobody is signed out, the next request of each reads it there.
Used when ``OPORA_REDIS_URL`` is set (settings.cache_settings).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

#: After a failed call, how long Redis is not tried again (seconds).
RETRY_SECONDS = 30.0
T = TypeVar("T")


class _Health:
    """Whether this process may try Redis now, and whether it saw Redis fail (then the cached
    sessions are purged on the way back). Shared by the clients of all threads."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.saw_failure = False
        self.lock = threading.Lock()

    def failed(self, error: Exception, where: str) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_SECONDS
            self.saw_failure = True
        logger.error("Redis %s is unreachable (%s): the cache is bypassed for %.0f s — pages are "
                     "built from the database, sessions read from the database; sign-in limits "
                     "are counted in the database as always", where, error, RETRY_SECONDS)


HEALTH = _Health()


class ReusingRedisCacheClient(RedisCacheClient):
    """A :class:`RedisCacheClient` whose clients are made once per connection pool, and whose
    calls are a miss while Redis cannot be reached."""

    session_pattern = f"*:{SESSION_KEY_PREFIX}*"

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[bool, Any] = {}
        self._where = ", ".join(servers)
        import redis  # only when the cache is configured (the optional «server» extra)

        self._unreachable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                             OSError)

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One client for reading and one for writing (with replicas, a thread keeps reading
        from the replica its first read chose)."""
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client

    def _tolerant(self, call: Callable[[], T], missing: T) -> T:
        if time.monotonic() < HEALTH.down_until:
            return missing
        try:
            if HEALTH.saw_failure:
                self._purge_sessions()
            return call()
        except self._unreachable as error:
            HEALTH.failed(error, self._where)
            return missing

    def _purge_sessions(self) -> None:
        """Delete every cached session: some may have ended while Redis was out of reach."""
        client = self.get_client(write=True)
        deleted = 0
        batch: list[bytes] = []
        for key in client.scan_iter(match=self.session_pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
        HEALTH.saw_failure = False
        logger.warning("Redis %s is reachable again; %d cached sessions deleted (each is read "
                       "from the database again)", self._where, deleted)

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).add(key, value, timeout),
                              False)

    def get(self, key: Any, default: Any) -> Any:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).get(key, default),
                              default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._tolerant(lambda: super(ReusingRedisCacheClient, self).set(key, value, timeout), None)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).touch(key, timeout),
                              False)

    def delete(self, key: Any) -> bool:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).delete(key), False)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).get_many(keys), {})

    def has_key(self, key: Any) -> bool:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).has_key(key), False)

    def set_many(self, data: Any, timeout: Any) -> None:
        self._tolerant(lambda: super(ReusingRedisCacheClient, self).set_many(data, timeout), None)

    def delete_many(self, keys: Any) -> None:
        self._tolerant(lambda: super(ReusingRedisCacheClient, self).delete_many(keys), None)

    def clear(self) -> bool:
        return self._tolerant(lambda: super(ReusingRedisCacheClient, self).clear(), False)


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`ReusingRedisCacheClient`."""

    @cached_property
    def _cache(self) -> ReusingRedisCacheClient:
        client = ReusingRedisCacheClient(self._servers, **self._options)  # type: ignore[attr-defined]
        client.session_pattern = f"{self.key_prefix}:*:{SESSION_KEY_PREFIX}*"
        return client
