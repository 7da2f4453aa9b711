"""Creating, revoking and checking personal API tokens (:class:`~opora.web.api.models.ApiToken`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from opora.web.api.models import ApiToken

PREFIX = "opora_"
#: Expiry choices on the profile page, days; the command line accepts any number up to the last.
LIFETIMES_DAYS = (30, 90, 365)
MAX_DAYS = 365
#: ``last_used_at`` is written at most this often, so that reading the API is not a write per call.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: Any, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for ``user`` valid ``days`` days; returns the record and the key, which is
    shown once and never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"срок действия ключа — от 1 до {MAX_DAYS} дней")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip() or "без названия", prefix=raw[:12],
                     digest=_digest(raw), expires_at=timezone.now() + timedelta(days=days))
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner's choice or an administrator's); idempotent."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_user(raw: str) -> Any | None:
    """The active user a valid token belongs to; None for an unknown, revoked or expired token."""
    if not raw.startswith(PREFIX):
        return None
    token = (ApiToken.objects.select_related("user").filter(digest=_digest(raw)).first())
    if token is None or not token.is_valid or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
