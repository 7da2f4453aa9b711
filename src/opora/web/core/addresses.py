"""The client's network address, also behind the reverse proxy docs/operations.md prescribes.

Behind nginx every request comes from the proxy (``REMOTE_ADDR`` = 127.0.0.1): a limit per
address would then be one limit for the whole municipality (issue 10). The proxy writes the
client's address into a header; which header, and how many proxies stand in front, is
configuration (``OPORA_TRUSTED_PROXY_HEADER``, ``OPORA_TRUSTED_PROXIES``), never guessed from the
request — a client can send any header it likes, so only what our own proxies wrote is read.

``X-Forwarded-For`` is a list each proxy appends to: ``client, proxy1, proxy2``. With N proxies
of ours in front, the N-th entry from the right was written by the outermost of them and is the
address it saw — everything left of it the client could have made up. A shorter list means the
request did not pass our proxies as configured: ``REMOTE_ADDR`` is used. A value that is not an
address (``unknown``, garbage) is not used either.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _meta_name(header: str) -> str:
    """``X-Forwarded-For`` → ``HTTP_X_FORWARDED_FOR`` (how Django keeps request headers)."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as our outermost trusted proxy saw it."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    header = str(getattr(settings, "OPORA_TRUSTED_PROXY_HEADER", "") or "")
    if not header:
        return remote
    entries = [e for e in str(request.META.get(_meta_name(header), "")).split(",") if e.strip()]
    proxies = max(1, int(getattr(settings, "OPORA_TRUSTED_PROXIES", 1)))
    if len(entries) < proxies:
        return remote
    return _valid(entries[-proxies]) or remote
