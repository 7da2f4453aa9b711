"""Login rate limiting: after 5 failed sign-ins for one username from one address, wait 15 min.

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
WINDOW_SECONDS = 15 * 60
LOCKED_MESSAGE = ("Слишком много неудачных попыток входа. Вход для этого имени пользователя с "
                  "вашего адреса приостановлен на 15 минут — подождите и попробуйте снова или "
                  "обратитесь к координатору, чтобы сменить пароль.")


def _key(request: HttpRequest, username: str) -> str:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR", "")
    return f"opora:login-failures:{name}:{address}"


def is_locked(request: HttpRequest, username: str) -> bool:
    return int(cache.get(_key(request, username), 0)) >= MAX_FAILURES


def record_failure(request: HttpRequest, username: str) -> None:
    key = _key(request, username)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: start a new window
        cache.set(key, 1, WINDOW_SECONDS)


def clear_failures(request: HttpRequest, username: str) -> None:
    cache.delete(_key(request, username))
