"""The note's sections whose records other apps keep: indicators with dynamics, targeted
recommendations, management decisions, effectiveness (DOMAIN.md, «The management cycle», parts
2, 6, 8, 9). Those apps are being built; until one is, its section says «нет данных».

**The hook.** Each section is a provider: ``(municipality, year) -> list of rows | None``. An app
adds its own in its ``AppConfig.ready``::

    from opora.web.reports.sections import register
    register("decisions", decisions_for_report)   # rows: [{"text": …, "date": …, …}]

(the reports app stays above it: the provider is handed in, reports never imports the app). Rows
are dicts; the default templates print ``name``/``value``/``unit`` (indicators), ``text``
(recommendations, decisions, effectiveness) and any other key a coordinator's template names. A
provider that raises is logged and its section says «нет данных»: a half-built app never stops a
note from being built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from opora.web.schools.models import Municipality

log = logging.getLogger(__name__)

NO_DATA = "нет данных"
Provider = Callable[[Municipality, int], list[dict[str, Any]] | None]

#: Section name → (title in the note, provider or None).
SECTIONS: dict[str, str] = {
    "indicators": "Показатели системы работы со ШНОР и их динамика",
    "recommendations": "Адресные рекомендации",
    "decisions": "Управленческие решения",
    "effectiveness": "Анализ эффективности принятых мер",
}
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> Provider | None:
    """Let an app fill a section of the note (``name`` one of :data:`SECTIONS`); the provider it
    replaces, if any."""
    if name not in SECTIONS:
        raise ValueError(f"unknown report section {name!r}; known: {', '.join(SECTIONS)}")
    previous = _PROVIDERS.get(name)
    _PROVIDERS[name] = provider
    return previous


def restore(name: str, provider: Provider | None) -> None:
    """Put back what :func:`register` replaced (tests)."""
    if provider is None:
        _PROVIDERS.pop(name, None)
    else:
        _PROVIDERS[name] = provider


def extra_sections(municipality: Municipality, year: int) -> dict[str, dict[str, Any]]:
    """Each section as ``{"title", "available", "rows", "note"}``; «нет данных» when empty."""
    found = {}
    for name, title in SECTIONS.items():
        rows: list[dict[str, Any]] | None = None
        provider = _PROVIDERS.get(name)
        if provider is not None:
            try:
                rows = provider(municipality, year)
            except Exception:  # a half-built app must not stop the note
                log.exception("report section %s failed", name)
                rows = None
        found[name] = {"title": title, "available": bool(rows), "rows": list(rows or []),
                       "note": "" if rows else NO_DATA}
    return found
