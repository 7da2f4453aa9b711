"""Failed sign-ins: a growing wait per account, and a later, shorter one per client address.

One limit for every way in: it is applied inside authentication
(:class:`opora.web.accounts.backends.ThrottledModelBackend`), so the sign-in page, the
administration's sign-in page and anything else that checks a password share it (issue 10:
``/admin/login/`` had no limit at all).

**Per account** (the username, whatever the address): the first :data:`ACCOUNT` ``free`` failures
cost nothing; after that every attempt must wait — 1 minute after the 5th failure in a row, then
2, 4, 8 … up to 60 minutes. While a wait runs, no password is checked, not even the right one (so
a guesser learns nothing), and the attempt is not counted. A successful sign-in clears the
account's count; 24 hours without a failure clear it too. A person who mistypes five times waits
a minute; a guesser gets about 30 tries a day per account (5, six more within the next hour, then
one an hour) instead of an unlimited number. The price: someone who knows a username can make
its owner wait up to an hour; the administrator can lift a wait in the administration
(«Ограничения входа»: delete the row).

**Per address** (as the reverse proxy saw the client, :mod:`opora.web.core.addresses`): many
usernames tried from one address (password spraying) — 30 failures with no hour's pause between
them — make that address wait 1, 2, 4 … up to 15 minutes. Not a hard lock: the issue found that
30 failures behind the proxy locked the whole municipality out for 15 minutes. With the proxy
header configured the address is the client's own, and the wait is short and grows only while
failures go on.

Numbers: 5 per account is the figure of issue 4 («Security basics») and what the user guide
promises; 30 per address is ours (a school's staff share one address behind NAT, and 30 failures
in a row from one school is unlikely). Counts live in the database (:class:`SignInFailures`): a
Redis outage must not open the limit, and every server process sees the same counts.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from opora.web.accounts.models import SignInFailures
from opora.web.core.addresses import client_address


@dataclass(frozen=True)
class Limit:
    free: int  # failures in a row before the first wait
    first_wait: int  # seconds after the ``free``-th failure; doubles with each further one
    longest_wait: int  # seconds
    forget_after: timedelta  # a pause this long without failures starts the count again

    def wait(self, failures: int) -> timedelta | None:
        over = failures - self.free
        if over < 0:
            return None
        return timedelta(seconds=min(self.first_wait * 2 ** min(over, 20), self.longest_wait))


ACCOUNT = Limit(free=5, first_wait=60, longest_wait=60 * 60, forget_after=timedelta(hours=24))
ADDRESS = Limit(free=30, first_wait=60, longest_wait=15 * 60, forget_after=timedelta(hours=1))
MAX_FAILURES, MAX_FAILURES_PER_ADDRESS = ACCOUNT.free, ADDRESS.free


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _keys(request: HttpRequest | None, username: str) -> list[tuple[str, Limit]]:
    keys = [(f"account:{_hash(username.strip().lower())}", ACCOUNT)]
    address = client_address(request) if request is not None else ""
    if address:
        keys.append((f"address:{_hash(address)}", ADDRESS))
    return keys


def keys_for(text: str) -> list[str]:
    """The keys a username or an address typed into the administration's search would have."""
    return [f"account:{_hash(text.strip().lower())}", f"address:{_hash(text.strip())}"]


def wait_seconds(request: HttpRequest | None, username: str) -> int:
    """How long this attempt must still wait (0: it may be checked now)."""
    now = timezone.now()
    waits = [w for w in SignInFailures.objects.filter(
        key__in=[k for k, _ in _keys(request, username)], wait_until__gt=now,
    ).values_list("wait_until", flat=True) if w is not None]
    return math.ceil((max(waits) - now).total_seconds()) if waits else 0


def record_failure(request: HttpRequest | None, username: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        for key, limit in _keys(request, username):
            row, _ = SignInFailures.objects.select_for_update().get_or_create(
                key=key, defaults={"last_failure": now})
            if now - row.last_failure > limit.forget_after:
                row.failures = 0
            row.failures += 1
            row.last_failure = now
            wait = limit.wait(row.failures)
            row.wait_until = now + wait if wait is not None else None
            row.save()
        _forget_old(now)


def _forget_old(now: datetime) -> None:
    """Rows nobody failed with for a day count nothing any more (made-up names pile up)."""
    SignInFailures.objects.filter(last_failure__lt=now - ACCOUNT.forget_after).delete()


def clear_failures(request: HttpRequest | None, username: str) -> None:
    """A successful sign-in clears its account's count (not the address's: spraying stays)."""
    SignInFailures.objects.filter(key=_keys(request, username)[0][0]).delete()


def waiting_message(seconds: int) -> str:
    """What the sign-in page says while an attempt must wait (Russian, with the minutes)."""
    minutes = max(1, math.ceil(seconds / 60))
    return ("Слишком много неудачных попыток входа. Следующая попытка — не раньше чем через "
            f"{_minutes(minutes)}. Если пароль забыт, обратитесь к координатору, чтобы он выдал "
            "новый.")


def _minutes(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        word = "минуту"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "минуты"
    else:
        word = "минут"
    return f"{n} {word}"
