"""Rendered parts of pages kept in the cache, for the pages everybody opens all day.

The overview of a finished run and the analysis sections of a school card follow from data
that never changes once the run is finished; the card's loaded results change only with an
import. Rendering them is most of a page's cost (Django's templates, ~0.1 ms a table cell), so
each is rendered once per key and reused (issue 4, «Benchmark»: p95 under 200 ms at 50
clients). The key names everything the part depends on; the caller checks the user's scope
before asking, on every request.

A value is kept zlib-compressed (level 1: ~0.3 ms for 100 KB, a sixth of the size), so a
server process holding every card of a 1,000-school region needs tens of megabytes, not
hundreds. Entries expire after ``FRAGMENT_SECONDS`` unless the caller says otherwise: edits of the
registry that an overview shows (a renamed school) appear after at most that. The school card's
parts name the registry's version in their key and live a day (card/parts.py).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

import opora

FRAGMENT_SECONDS = 300


@dataclass(frozen=True)
class Fragment:
    """Rendered HTML (from an autoescaping template) and the few values the page needs besides."""

    html: SafeString
    extra: dict[str, Any] = field(default_factory=dict)


def versioned_key(key: str) -> str:
    """``key`` under this version of Opora (parts of an older version are never read), hashed
    when it would not be safe for every cache backend (memcached: ASCII, no spaces, ≤ 250)."""
    full_key = f"opora:{opora.__version__}:{key}"
    if len(full_key) > 200 or not full_key.isascii() or " " in full_key:
        full_key = f"opora:{opora.__version__}:{hashlib.blake2b(key.encode()).hexdigest()}"
    return full_key


def _unpack(stored: tuple[bytes, dict[str, Any]]) -> Fragment:
    packed, extra = stored
    return Fragment(mark_safe(zlib.decompress(packed).decode("utf-8")), extra)


def cached_fragments(builds: dict[str, Callable[[], Fragment]],
                     seconds: int = FRAGMENT_SECONDS) -> dict[str, Fragment]:
    """The fragments stored under the keys of ``builds`` (:func:`versioned_key`), the missing
    ones built and stored for ``seconds``: one round trip to the cache for a page's parts, one
    more to store what was built."""
    full_keys = {key: versioned_key(key) for key in builds}
    stored = cache.get_many(list(full_keys.values()))
    found: dict[str, Fragment] = {}
    fresh: dict[str, tuple[bytes, dict[str, Any]]] = {}
    for key, build in builds.items():
        if full_keys[key] in stored:
            found[key] = _unpack(stored[full_keys[key]])
            continue
        built = found[key] = build()
        fresh[full_keys[key]] = (zlib.compress(str(built.html).encode("utf-8"), 1), built.extra)
    if fresh:
        cache.set_many(fresh, seconds)
    return found


def cached_fragment(key: str, build: Callable[[], Fragment],
                    seconds: int = FRAGMENT_SECONDS) -> Fragment:
    """The fragment stored under ``key`` (:func:`versioned_key`), or ``build()`` stored."""
    return cached_fragments({key: build}, seconds)[key]
