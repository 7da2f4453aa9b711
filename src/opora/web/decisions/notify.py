"""In-app notifications (the bell in the header) and their e-mail copy through Django's e-mail
backend (the console in the demo). A notification has a key: the same reminder is made once."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from opora.web.accounts.models import COORDINATOR, SCHOOL_ADMIN, RoleAssignment
from opora.web.decisions.models import Notification

log = logging.getLogger(__name__)


def notify(*, user: Any, key: str, text: str, link: str = "") -> Notification | None:
    """Tell ``user`` once per ``key``; ``None`` when already told (or no user)."""
    if user is None:
        return None
    try:
        with transaction.atomic():
            found = Notification.objects.create(user=user, key=key[:200], text=text[:500],
                                                link=link[:300])
    except IntegrityError:
        return None
    if getattr(user, "email", ""):
        transaction.on_commit(lambda: _mail(user.email, text, link))
    return found


def _mail(address: str, text: str, link: str) -> None:
    body = text + (f"\n\nОткрыть: {getattr(settings, 'OPORA_SITE_URL', '')}{link}" if link else "")
    try:
        send_mail("Опора: " + text[:70], body, None, [address], fail_silently=False)
    except OSError:  # no mail server: the bell still has it
        log.warning("письмо не отправлено: %s", address)


def coordinators_of(municipality_id: int) -> list[Any]:
    ids = RoleAssignment.objects.filter(role=COORDINATOR, municipality_id=municipality_id) \
        .values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True))


def administrators_of(school_id: int) -> list[Any]:
    ids = RoleAssignment.objects.filter(role=SCHOOL_ADMIN, school_id=school_id) \
        .values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True))


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
