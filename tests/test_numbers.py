"""One number formatter for pages, exports and evidence (issue 13): «−40,57 (ОГЭ/ЕГЭ: -38,3 п. п.)»
mixed a real minus and a hyphen in one sentence because three places formatted numbers."""

from __future__ import annotations

import math
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from opora.engine.evidence import num
from opora.numbers import MINUS, number, percent_points
from opora.web.core.numbers import number_text

SRC = Path(__file__).resolve().parents[1] / "src" / "opora"
#: Readers format the values they quote from a file in their own messages; they are another
#: part's to move onto opora.numbers (noted in issue 13's report), and are the only exceptions.
READERS = ("formats/",)
#: Machine output, not text for people: CSV cells written by ``opora analyze``.
MACHINE = ("engine/outputs.py",)
BY_HAND = {".py": (re.compile(r"""\.replace\(\s*["']\.["']\s*,\s*["'],["']"""),  # a comma
                   re.compile(r"number_format\(")),  # Django's: a hyphen for the minus
           ".html": (re.compile(r"\|\s*floatformat"), re.compile(r"\|\s*intcomma"))}


def test_a_negative_number_reads_the_same_in_evidence_pages_and_the_formatter() -> None:
    assert num(-38.26) == number_text(-38.26) == number(-38.26) == f"{MINUS}38,3"


def test_a_signed_difference_gets_a_plus_and_a_rounded_zero_no_sign_at_all() -> None:
    assert [number(v, signed=True) for v in (2.04, -0.04, 0.0, -2.04)] == [
        "+2,0", "0,0", "0,0", f"{MINUS}2,0"]


def test_percentage_points_are_spelled_with_a_space_and_signed() -> None:
    assert percent_points(-38.26) == f"{MINUS}38,3 п. п." and percent_points(5) == "+5,0 п. п."


def test_a_missing_value_is_a_dash_in_a_table_and_nd_in_a_sentence() -> None:
    assert (number(None), number(float("nan")), num(float("nan"))) == ("—", "—", "н/д")


def test_trimmed_numbers_drop_trailing_zeros_only_after_the_comma() -> None:
    assert [number(v, 2, trim=True) for v in (12.0, 12.5, 100.0, -0.125)] == [
        "12", "12,5", "100", f"{MINUS}0,12"]


def test_no_module_outside_the_formatter_prints_numbers_by_hand() -> None:
    found = []
    for path in sorted(SRC.rglob("*")):
        relative = path.relative_to(SRC).as_posix()
        if path.suffix not in (".py", ".html") or relative == "numbers.py" \
                or relative.startswith(READERS) or relative in MACHINE:
            continue
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in BY_HAND[path.suffix]):
                found.append(f"{relative}:{line_no}: {line.strip()}")
    assert found == [], "use opora.numbers.number (or |num in templates):\n" + "\n".join(found)


def _as_written_in_documents(value: float, digits: int, signed: bool, trim: bool) -> str:
    """The rule in plain steps, independent of :func:`number`'s fast path (issue 18): rounded
    as Python's string formatting rounds, a decimal comma, «−» for a negative value that does
    not round to zero, «+» for a positive one when asked, trailing zeros dropped when asked, a
    dash for NaN and infinities."""
    if math.isnan(value) or math.isinf(value):
        return "—"
    text = "{:.{}f}".format(abs(value), digits).replace(".", ",")
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    if set(text) <= {"0", ","}:
        return text
    return (MINUS if value < 0 else "+" if signed else "") + text


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                 st.floats(-1000, 1000), st.integers(-10**6, 10**6).map(lambda i: i / 100)),
       st.integers(0, 3), st.booleans(), st.booleans())
def test_every_float_is_written_as_the_plain_rule_writes_it(value, digits, signed, trim) -> None:
    assert number(value, digits, signed=signed, trim=trim) == _as_written_in_documents(
        value, digits, signed, trim)
