"""Numbers as Russian documents print them — the one formatter of pages, exports and evidence.

A decimal comma, a real minus sign «−» (U+2212, not the hyphen «-»), «+» on request for
differences, and one spelling of the percentage-point unit. Before this module the evidence
sentences (engine), the pages (``|num``) and a stored objectivity note each formatted numbers on
their own, and one sentence could read «−40,57 (ОГЭ/ЕГЭ: -38,3 п. п.)» (issue 13).

It stands on the ground floor beside :mod:`opora.catalog` and :mod:`opora.glossary` and imports
nothing of Опора: the engine (:func:`opora.engine.evidence.num`), the web (the ``|num`` template
filter, :mod:`opora.web.core.numbers`) and the exports all call :func:`number`.
``tests/test_numbers_everywhere.py`` keeps other modules from formatting numbers by hand.
"""

from __future__ import annotations

MINUS = "\u2212"
NO_VALUE = "—"  # a table cell without a value
NO_DATA = "н/д"  # a value missing inside a sentence
PERCENT_POINTS = "п. п."
_SPECS = tuple(f".{d}f" for d in range(10))  # format specs by number of decimals


def number(value: object, digits: int = 1, *, signed: bool = False, trim: bool = False,
           missing: str = NO_VALUE) -> str:
    """``value`` with ``digits`` decimals, a decimal comma and a real minus.

    ``signed`` puts «+» before a positive value (differences); a value that rounds to zero has
    no sign at all. ``trim`` drops trailing zeros («12» for 12.0, «12,5» for 12.5). ``missing``
    is what None, «», NaN, infinities and non-numbers become.
    """
    if type(value) is float:  # the common case first: the evidence of a country spells
        found = value  # ~450 thousand numbers (issue 18)
    else:
        if value is None or value == "" or isinstance(value, bool):
            return missing
        try:
            found = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return missing
    if found - found != 0:  # NaN or an infinity
        return missing
    spec = _SPECS[digits] if 0 <= digits < len(_SPECS) else f".{max(digits, 0)}f"
    text = format(abs(found), spec).replace(".", ",")
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    if not text.strip("0,"):  # rounds to zero: no sign
        return text
    if found < 0:
        return MINUS + text
    return "+" + text if signed else text


def percent_points(value: object, digits: int = 1, *, signed: bool = True) -> str:
    """A difference in percentage points: «−38,3 п. п.»."""
    return f"{number(value, digits, signed=signed)} {PERCENT_POINTS}"
