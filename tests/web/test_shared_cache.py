"""The shared cache of several server processes: Redis (OPORA_REDIS_URL), as deployed.

These tests talk to the Redis on 127.0.0.1:6379 (database 15, keys under their own prefix),
as the PostgreSQL tests talk to the local PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.test import override_settings

from opora.web.core.fragments import Fragment, cached_fragment, cached_fragments
from opora.web.core.settings import cache_settings

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_settings_choose_redis_then_a_shared_directory_then_memory() -> None:
    cache, sessions = cache_settings({"OPORA_REDIS_URL": REDIS_URL, "OPORA_CACHE_DIR": "/x"})
    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "opora.web.core.redis_cache.RedisCache", REDIS_URL)
    assert sessions == "django.contrib.sessions.backends.cached_db"
    cache, sessions = cache_settings({"OPORA_CACHE_DIR": "/x"})
    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "django.core.cache.backends.filebased.FileBasedCache", "/x")
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 3 * 951  # a region's card parts; Django keeps 300
    assert sessions == "django.contrib.sessions.backends.db"  # a file is no faster than a row
    cache, sessions = cache_settings({})
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert sessions == "django.contrib.sessions.backends.db"


def test_installations_on_different_databases_never_share_cache_keys() -> None:
    def prefix(**environ: str) -> str:
        return str(cache_settings({"OPORA_REDIS_URL": REDIS_URL, **environ})[0]["KEY_PREFIX"])

    region = prefix(OPORA_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/region")
    country = prefix(OPORA_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/country")
    demo = prefix(OPORA_DATA_DIR="/srv/opora-demo")
    assert len({region, country, demo}) == 3
    assert region == prefix(OPORA_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/region")
    files = cache_settings({"OPORA_CACHE_DIR": "/x", "OPORA_DATA_DIR": "/srv/opora-demo"})[0]
    assert files["KEY_PREFIX"] == demo


@pytest.fixture
def shared() -> Iterator[tuple[redis.Redis, str]]:
    """Django's cache pointed at Redis under a fresh prefix; the prefix's keys removed after."""
    prefix = f"opora-test-{uuid.uuid4().hex[:8]}"
    cache, sessions = cache_settings({"OPORA_REDIS_URL": REDIS_URL})
    client = redis.Redis.from_url(REDIS_URL)
    with override_settings(CACHES={"default": {**cache, "KEY_PREFIX": prefix}},
                           SESSION_ENGINE=sessions):
        yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_part_rendered_once_is_read_back_from_redis_without_rendering_again(
        shared: tuple[redis.Redis, str]) -> None:
    client, prefix = shared
    built: list[int] = []

    def build() -> Fragment:
        built.append(1)
        return Fragment("<p>Школа № 7 — ШНОР</p>", {"has_charts": True})  # type: ignore[arg-type]

    first = cached_fragment("card-test:7", build)
    again = cached_fragment("card-test:7", build)
    assert built == [1]
    assert str(again.html) == str(first.html) == "<p>Школа № 7 — ШНОР</p>"
    assert again.extra == {"has_charts": True}
    assert [k for k in client.scan_iter(f"{prefix}:*") if b"card-test:7" in k]


@pytest.mark.django_db
def test_signing_out_ends_the_session_for_every_process_sharing_redis(
        shared: tuple[redis.Redis, str], client: Any) -> None:
    redis_client, prefix = shared
    get_user_model().objects.create_user("shared-cache", password="x-password-1")
    assert client.login(username="shared-cache", password="x-password-1")
    session_keys = [k for k in redis_client.scan_iter(f"{prefix}:*") if b"session" in k]
    assert session_keys, "the session is not in Redis"
    assert client.get("/schools/").status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post("/logout/")
    assert not [k for k in redis_client.scan_iter(f"{prefix}:*") if b"session" in k]
    client.cookies["sessionid"] = cookie  # another process presented the old cookie
    response = client.get("/schools/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_cache_keeps_one_redis_client_and_still_reads_and_writes(
        shared: tuple[redis.Redis, str]) -> None:
    client, prefix = shared
    backend = django_cache._cache  # type: ignore[attr-defined]
    assert backend.get_client() is backend.get_client()  # made once, not per call
    assert backend.get_client(write=True) is backend.get_client(write=True)
    django_cache.set("kept-client", {"школа": 7}, 60)
    assert django_cache.get("kept-client") == {"школа": 7}
    assert django_cache.get_many(["kept-client", "absent"]) == {"kept-client": {"школа": 7}}
    assert client.get(f"{prefix}:1:kept-client") is not None  # really in Redis
    django_cache.delete("kept-client")
    assert client.get(f"{prefix}:1:kept-client") is None


def test_parts_of_a_page_are_read_in_one_go_and_only_the_missing_are_built(
        shared: tuple[redis.Redis, str]) -> None:
    built: list[str] = []

    def part(name: str) -> Fragment:
        built.append(name)
        return Fragment(f"<p>{name}</p>")  # type: ignore[arg-type]

    cached_fragment("part-a", lambda: part("a"))
    found = cached_fragments({"part-a": lambda: part("a"), "part-b": lambda: part("b")})
    assert built == ["a", "b"]  # «a» came from Redis
    assert {k: str(f.html) for k, f in found.items()} == {"part-a": "<p>a</p>",
                                                          "part-b": "<p>b</p>"}
