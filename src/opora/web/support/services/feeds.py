"""Personal calendar feeds: a secret address per person, shown once, revocable.

The address carries a random token (256 bits); only its SHA-256 is stored, as for API keys. A
calendar application (Outlook, Яндекс Календарь, Thunderbird, a phone) subscribes to it without
signing in, so the token alone is the key: making a new address revokes the previous one, and
revoking leaves the person without any. A deactivated user's feed answers nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from opora.web.support.models import CalendarFeed
from opora.web.support.services import audit

TOKEN_BYTES = 32
LAST_USED_EVERY_SECONDS = 3600  # a subscribed calendar asks every few minutes: note it hourly


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, user: Any) -> str:
    """A new secret token for ``user`` (the previous one stops working); shown once."""
    feed_revoke(user=user)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed(user=user, token_hash=_hash(token))
    audit(feed, user)
    feed.save()
    return token


@transaction.atomic
def feed_revoke(*, user: Any) -> bool:
    """Revoke the user's current feed; whether there was one."""
    current = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if current is None:
        return False
    current.revoked_at = timezone.now()
    audit(current, user)
    current.save()
    return True


def feed_current(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_user(token: str) -> Any | None:
    """The active user whose current feed has this token; None otherwise."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.filter(token_hash=_hash(token), revoked_at__isnull=True)
            .select_related("user").first())
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > \
            LAST_USED_EVERY_SECONDS:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)  # not a user's edit
    user: Any = get_user_model().objects.get(pk=feed.user_id)
    return user
