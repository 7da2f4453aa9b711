"""Russian words of the programmes' codes in templates: ``{% load programme_words %}``.

Pages never show a code (a factor's, a flag's, a unit's, a status'): these filters give the
glossary's name for each.
"""

from __future__ import annotations

from typing import Any

from django import template

from opora.formats.templates.roadmap import format_targets
from opora.glossary import (
    INDICATOR_DIRECTIONS,
    MEASURE_STATUSES,
    UNITS,
    flag_label,
    programme_name,
    risk_factor_name,
)

register = template.Library()


@register.filter
def measure_status(code: str) -> str:
    return programme_name(MEASURE_STATUSES, code)


@register.filter
def factor_names(codes: Any) -> str:
    return "; ".join(risk_factor_name(c) for c in codes or [])


@register.filter
def flag_names(codes: Any) -> str:
    return "; ".join(flag_label(c) for c in codes or [])


@register.filter
def unit_name(code: str) -> str:
    return programme_name(UNITS, code) if code else "—"


@register.filter
def direction_name(code: str) -> str:
    return programme_name(INDICATOR_DIRECTIONS, code)


@register.filter
def targets_text(targets: Any) -> str:
    return format_targets({int(k): float(v) for k, v in (targets or {}).items()}) or "—"


@register.filter
def shown_on(measure: Any, today: Any) -> str:
    """The measure's status on ``today`` (``overdue`` for one not finished after its deadline)."""
    return str(measure.shown_status(today))
