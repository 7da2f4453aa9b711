"""Redis unreachable: people still sign in and pages open, from the database, loudly; nothing
fails open — the sign-in limit still counts, a session ended during the outage stays ended
when Redis comes back (issue 10, point 4).

«Unreachable» is a port nothing listens on (checked first); the return of Redis is the real
Redis on 127.0.0.1:6379 (database 15, keys under their own prefix), as test_shared_cache.py.
"""

from __future__ import annotations

import socket
import uuid
from typing import Any

import redis
from django.contrib.sessions.models import Session
from django.core.cache import cache as django_cache
from django.test import Client, override_settings
from personas import PASSWORD, PersonaTestCase

from opora.web.core import redis_cache
from opora.web.core.settings import cache_settings

REDIS_URL = "redis://127.0.0.1:6379/15"
CLOSED_PORT = 6390
LOGGER = "opora.web.core.redis_cache"


def _nothing_listens(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _settings(url: str, prefix: str = "opora-test") -> Any:
    cache, sessions = cache_settings({"OPORA_REDIS_URL": url})
    return override_settings(CACHES={"default": {**cache, "KEY_PREFIX": prefix}},
                             SESSION_ENGINE=sessions)


class RedisTestCase(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self._reset_health()
        self.addCleanup(self._reset_health)

    @staticmethod
    def _reset_health() -> None:
        redis_cache.HEALTH.down_until = 0.0
        redis_cache.HEALTH.saw_failure = False

    def _sign_in(self, client: Client, username: str = "director",
                 password: str = PASSWORD) -> Any:
        return client.post("/login/", {"username": username, "password": password})


class RedisUnreachableTests(RedisTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.assertTrue(_nothing_listens(CLOSED_PORT))
        self.enterContext(_settings(f"redis://127.0.0.1:{CLOSED_PORT}/0"))

    def test_people_sign_in_and_pages_open_from_the_database_and_the_log_says_why(self) -> None:
        client = Client()
        with self.assertLogs(LOGGER, "ERROR") as logged:
            self.assertEqual(self._sign_in(client).status_code, 302)
            for url in ("/schools/", f"/schools/{self.a.pk}/", "/account/password/"):
                self.assertEqual(client.get(url).status_code, 200, url)
        self.assertIn("unreachable", logged.output[0])
        self.assertIn(f"127.0.0.1:{CLOSED_PORT}", logged.output[0])
        self.assertEqual(Session.objects.count(), 1)  # the session lives in the database

    def test_an_unreachable_redis_is_asked_once_per_half_minute_not_on_every_call(self) -> None:
        client = Client()
        with self.assertLogs(LOGGER, "ERROR") as logged:
            self._sign_in(client)
            for _ in range(5):
                client.get(f"/schools/{self.a.pk}/")
        self.assertEqual(len(logged.records), 1)

    def test_the_sign_in_limit_still_counts_without_redis(self) -> None:
        client = Client()
        for _ in range(5):
            self.assertEqual(self._sign_in(client, password="wrong").status_code, 200)
        self.assertEqual(self._sign_in(client).status_code, 429)

    def test_signing_out_works_without_redis(self) -> None:
        client = Client()
        with self.assertLogs(LOGGER, "ERROR"):
            self._sign_in(client)
            self.assertEqual(client.post("/logout/").status_code, 302)
            self.assertEqual(client.get("/schools/").status_code, 302)
        self.assertFalse(Session.objects.exists())


class RedisReturnsTests(RedisTestCase):
    """Redis was out of reach but kept its data: a session that ended meanwhile must not come
    back from it."""

    def setUp(self) -> None:
        super().setUp()
        self.prefix = f"opora-test-{uuid.uuid4().hex[:8]}"
        self.enterContext(_settings(REDIS_URL, self.prefix))
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.addCleanup(self._forget_keys)

    def _forget_keys(self) -> None:
        for key in self.redis.scan_iter(f"{self.prefix}:*"):
            self.redis.delete(key)

    def _sessions_in_redis(self) -> list[bytes]:
        return [k for k in self.redis.scan_iter(f"{self.prefix}:*") if b"session" in k]

    def _unreachable(self, port: int) -> None:
        """Point this process's connection pool at ``port`` (the cache's clients share it)."""
        pool = django_cache._cache.get_client(write=True).connection_pool  # type: ignore[attr-defined]
        pool.disconnect()
        pool.connection_kwargs["port"] = port
        pool.reset()  # connections are made again, to the new port

    def test_a_session_ended_while_redis_was_away_stays_ended_when_it_returns(self) -> None:
        client = Client()
        self.assertEqual(self._sign_in(client).status_code, 302)
        self.assertTrue(self._sessions_in_redis())
        cookie = client.cookies["sessionid"].value
        self._unreachable(CLOSED_PORT)
        with self.assertLogs(LOGGER, "ERROR"):
            self.assertEqual(client.post("/logout/").status_code, 302)
        self.assertFalse(Session.objects.exists())
        self.assertTrue(self._sessions_in_redis())  # the stale copy is still there
        self._unreachable(6379)
        redis_cache.HEALTH.down_until = 0.0  # half a minute later: Redis is tried again
        client.cookies["sessionid"] = cookie  # the old cookie, presented again
        with self.assertLogs(LOGGER, "WARNING") as logged:
            response = client.get("/schools/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.assertIn("1 cached sessions deleted", logged.output[0])
        self.assertFalse(self._sessions_in_redis())

    def test_sessions_of_people_still_signed_in_survive_the_purge(self) -> None:
        client = Client()
        self._sign_in(client)
        self._unreachable(CLOSED_PORT)
        with self.assertLogs(LOGGER, "ERROR"):
            self.assertEqual(client.get("/schools/").status_code, 200)
        self._unreachable(6379)
        redis_cache.HEALTH.down_until = 0.0
        with self.assertLogs(LOGGER, "WARNING"):
            self.assertEqual(client.get("/schools/").status_code, 200)  # read from the database
        self.assertTrue(self._sessions_in_redis())  # and cached again
