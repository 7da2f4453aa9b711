"""Template context of every page that does not depend on the user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def demo(request: HttpRequest) -> dict[str, Any]:
    """``demo_data``: the installation shows generated demo data (``opora demo``); the page
    says so once, so the evidence need not say it in every sentence (issue 13)."""
    return {"demo_data": bool(getattr(settings, "OPORA_DEMO", False))}
