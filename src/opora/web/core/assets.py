"""``{% asset 'path' %}``: a static file's address, worked out once per process.

Django's ``{% static %}`` asks the storage on every render (a join, an IRI quote, the manifest
lookup): some 0.1 ms for each of the eleven files a card with charts links, ~1 ms of every such
page (issue 18). The address of a file does not change while the process runs — the manifest
is read once at start — so it is kept; a test that changes the static settings clears it.
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static

register = template.Library()


@functools.lru_cache(maxsize=256)
def asset_url(path: str) -> str:
    """The address ``{% static path %}`` gives, computed once."""
    return static(path)


@register.simple_tag
def asset(path: str) -> str:
    return asset_url(path)


@receiver(setting_changed)
def _forget(setting: str, **_: Any) -> None:
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT"):
        asset_url.cache_clear()
