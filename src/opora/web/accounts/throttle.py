"""Login rate limiting: after 5 failed sign-ins for one username from one address, wait 15 min.

A second, wider limit stops trying many usernames from one address (password spraying): 30
failures from one address within 15 minutes lock that address for every username.

Numbers: 5 per username and address per 15 minutes is the figure of the issue («Security
basics», issue 4). 30 per address is ours: a school's or an office's users share one address
behind NAT, and a whole staff mistyping 30 times in 15 minutes is unlikely, while a guesser
spreading over names gets 30 tries instead of 5 × every name.

Counts live in Django's cache (no new dependency). The window is fixed from the first failure:
the counter expires 15 minutes after it was created. A successful sign-in clears it. Keys hold a
hash of the lower-cased username, so the cache never stores what people typed. With several
server processes each needs a shared cache (database or Redis, see docs/operations.md) for the
limit to hold across them; the default in-process cache limits each process separately.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES = 5
MAX_FAILURES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60
LOCKED_MESSAGE = ("Слишком много неудачных попыток входа. Вход приостановлен на 15 минут — "
                  "подождите и попробуйте снова или обратитесь к координатору, чтобы сменить "
                  "пароль.")


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    """(username+address key, address key)."""
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR", "")
    return f"opora:login-failures:{name}:{address}", f"opora:login-failures-from:{address}"


def is_locked(request: HttpRequest, username: str) -> bool:
    pair, address = _keys(request, username)
    return (int(cache.get(pair, 0)) >= MAX_FAILURES
            or int(cache.get(address, 0)) >= MAX_FAILURES_PER_ADDRESS)


def _count(key: str) -> None:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: start a new window
        cache.set(key, 1, WINDOW_SECONDS)


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        _count(key)


def clear_failures(request: HttpRequest, username: str) -> None:
    """A successful sign-in clears its username's count (not the address's: spraying stays)."""
    cache.delete(_keys(request, username)[0])
