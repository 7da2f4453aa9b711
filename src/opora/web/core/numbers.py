"""Numbers in pages as in Russian documents and in the evidence: «−12,3», «—» for no value.

Registered as a template builtin (settings.TEMPLATES), so every template has ``|num``. It
replaces Django's ``floatformat``, which printed «-12,3» with a hyphen while the evidence
sentences print «−12,3», and which costs ~30 µs a call (it goes through ``Decimal`` and the
locale machinery) — the school card calls it several hundred times. The formatting itself is
:func:`opora.numbers.number`, the one formatter of pages, exports and evidence.
"""

from __future__ import annotations

from typing import Any

from django import template

from opora.numbers import NO_VALUE, number

register = template.Library()

__all__ = ["NO_VALUE", "num_filter", "number_text"]


def number_text(value: Any, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals, a decimal comma and a real minus; «—» for no value.

    A negative ``digits`` keeps up to ``-digits`` decimals and drops trailing zeros («12» for
    12.0, «12,5» for 12.5), as ``floatformat:"-1"`` did.
    """
    return number(value, abs(digits), trim=digits < 0)


@register.filter(name="num")
def num_filter(value: Any, digits: Any = 1) -> str:
    """``{{ value|num }}`` → «12,3»; ``{{ value|num:2 }}`` → «0,42»; ``{{ value|num:"-1" }}``."""
    try:
        places = int(digits)
    except (TypeError, ValueError):
        places = 1
    return number_text(value, places)
