"""Template context of every page that does not depend on the user."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse


def demo(request: HttpRequest) -> dict[str, Any]:
    """``demo_data``: the installation shows generated demo data (``opora demo``); the page
    says so once, so the evidence need not say it in every sentence (issue 13)."""
    return {"demo_data": bool(getattr(settings, "OPORA_DEMO", False))}


#: The pages the site's frame (``base.html``) links to for a signed-in user: the template's name
#: for each → its URL name. Sixteen links on every page a signed-in user opens. (The brand's link
#: home stays a ``{% url %}``: pages rendered without a request — the CSRF failure — show it too.)
FRAME_LINKS = {
    "schools": "schools", "imports": "imports", "roles": "roles",
    "overview": "analysis:overview", "runs": "analysis:runs", "reports": "reports:page",
    "support": "support:events", "recommendations": "decisions:recommendations",
    "monitoring": "monitoring:index", "programmes": "programmes:home", "admin": "admin:index",
    "notifications": "decisions:notifications", "bell": "decisions:bell",
    "password_change": "password_change", "api_tokens": "api-tokens", "logout": "logout"}


@functools.lru_cache(maxsize=16)
def _frame_urls(script_prefix: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in FRAME_LINKS.items()}


def frame(request: HttpRequest) -> dict[str, Any]:
    """``frame_urls``: the frame's links, reversed once per process (and mount point) instead of
    on every page — each ``{% url %}`` costs some 40–80 µs, sixteen of them about as much as
    the rest of a cached overview page's own work (docs/benchmarks.md)."""
    return {"frame_urls": _frame_urls(get_script_prefix())}
