"""A user's role assignments kept in the cache between requests.

Every page reads the reader's role assignments — the header's titles, the navigation, every scope
check — and through the ORM (three joins for the scope objects) that read cost about as much as
the rest of a cached page (the overview: ~1 ms of ~3 ms in process). So they are kept in the
cache per user and dropped the moment an assignment of that user is saved or deleted, whatever
saves it — the role services, the admin, a deleted user's cascade — through the model's signals
(:func:`forget_assignments`, connected in ``accounts/apps.py``). A revoked role therefore stops
working on the very next request. The scope objects' names (a municipality renamed in the admin)
refresh within :data:`SECONDS`; scope checks compare keys, which a rename does not change. If the
cache is down, the assignments are read from the database as before.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

#: How long a user's assignments are kept at most (names of their scopes refresh by then).
SECONDS = 300
_KEY = "viewer-assignments:v1:u{}"


def cached_assignments(user_pk: int) -> list[Any] | None:
    """The assignments stored for the user, or ``None`` when they are not in the cache."""
    found = cache.get(_KEY.format(user_pk))
    return list(found) if found is not None else None


def store_assignments(user_pk: int, assignments: list[Any]) -> None:
    cache.set(_KEY.format(user_pk), assignments, SECONDS)


def forget_user(user_pk: int) -> None:
    """Drop the user's cached assignments: their next request reads them from the database."""
    cache.delete(_KEY.format(user_pk))


def forget_assignments(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal handler: an assignment of ``instance.user_id`` was saved or deleted."""
    forget_user(instance.user_id)
