"""Numbers in pages as in Russian documents and in the evidence: «−12,3», «—» for no value.

Registered as a template builtin (settings.TEMPLATES), so every template has ``|num``. It
replaces Django's ``floatformat``, which printed «-12,3» with a hyphen while the evidence
sentences print «−12,3» (engine/evidence.py), and which costs ~30 µs a call (it goes through
``Decimal`` and the locale machinery) — the school card calls it several hundred times.
"""

from __future__ import annotations

import math
from typing import Any

from django import template

from opora.engine.evidence import num as evidence_num

register = template.Library()

NO_VALUE = "—"


def number_text(value: Any, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals, a decimal comma and a real minus; «—» for no value.

    A negative ``digits`` keeps up to ``-digits`` decimals and drops trailing zeros («12» for
    12.0, «12,5» for 12.5), as ``floatformat:"-1"`` did.
    """
    if value is None or value == "":
        return NO_VALUE
    try:
        number = float(value)
    except (TypeError, ValueError):
        return NO_VALUE
    if not math.isfinite(number):
        return NO_VALUE
    text = evidence_num(number, abs(digits))
    if digits < 0 and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


@register.filter(name="num")
def num_filter(value: Any, digits: Any = 1) -> str:
    """``{{ value|num }}`` → «12,3»; ``{{ value|num:2 }}`` → «0,42»; ``{{ value|num:"-1" }}``."""
    try:
        places = int(digits)
    except (TypeError, ValueError):
        places = 1
    return number_text(value, places)
