"""Reading one cell of a fill-in template by the kind of its column.

Each parser returns ``(value, None)`` or ``(None, "Russian reason")``; an empty cell is ``None``
and is judged by the caller (required or not). Numbers come as Excel numbers or as text from CSV
(«12,5», with a comma, as Russian Excel writes them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from opora.catalog import SUBJECTS, normalize_label, subject_from_marker
from opora.formats.vpr.metadata import procedure_code, subject_code

Parsed = tuple[object, str | None]

YEAR_MIN, YEAR_MAX = 2010, 2040
_MARKER = re.compile(r"^(\d{1,2})\s*([а-яa-z]{2,3})$", re.IGNORECASE)
_YES = {"да", "1", "+", "true", "д", "yes"}
_NO = {"нет", "0", "-", "false", "н", "no"}
_SEX = {"м": "м", "муж": "м", "мужской": "м", "ж": "ж", "жен": "ж", "женский": "ж"}
_SCALES = {"первичный": "primary", "первичный балл": "primary", "primary": "primary",
           "тестовый": "test", "тестовый балл": "test", "test": "test",
           "отметка": "mark", "mark": "mark", "процент": "percent", "%": "percent",
           "percent": "percent", "процент выполнения": "percent"}


def number_of(value: object) -> float | None:
    """A cell as a finite number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number).replace(".", ",")


def _text(value: object) -> Parsed:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return " ".join(str(value).split()), None


def _code(value: object) -> Parsed:
    text, _ = _text(value)
    if isinstance(text, str) and text.isdigit():
        return text, None
    return None, f"код участника «{value}» — ожидаются только цифры"


def _bounded_int(low: int, high: int | None, what: str) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        number = number_of(value)
        if number is None:
            return None, f"«{value}» — не число ({what})"
        if number != int(number):
            return None, f"«{_fmt(number)}» — должно быть целое число ({what})"
        if number < low or (high is not None and number > high):
            limit = f"от {low} до {high}" if high is not None else f"не меньше {low}"
            return None, f"{_fmt(number)} — вне допустимого: {what} {limit}"
        return int(number), None
    return parse


def _bounded_float(low: float, high: float | None, what: str) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        number = number_of(value)
        if number is None:
            return None, f"«{value}» — не число ({what})"
        if number < low or (high is not None and number > high):
            limit = f"от {_fmt(low)} до {_fmt(high)}" if high is not None else f"не меньше {_fmt(low)}"
            return None, f"{_fmt(number)} — вне допустимого: {what} {limit}"
        return number, None
    return parse


def _subject(value: object) -> Parsed:
    code = subject_code(value)
    if code is None:
        known = ", ".join(s.name_ru for s in SUBJECTS.values())
        return None, f"неизвестный предмет «{value}»; известны: {known}"
    return code, None


def _procedure(value: object) -> Parsed:
    code = procedure_code(value)
    return (code, None) if code else (None, f"неизвестная процедура «{value}»; допустимы: "
                                            "ВПР, ОГЭ, ЕГЭ, ГВЭ, НИКО, ДКР")


def _choice(mapping: dict[str, object], allowed: str) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        key = normalize_label(value)
        if key in mapping:
            return mapping[key], None
        return None, f"«{value}» — допустимо: {allowed}"
    return parse


def _yes_no(value: object) -> Parsed:
    key = normalize_label(_text(value)[0])
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    return None, f"«{value}» — допустимо «да» или «нет»"


def parse_marker(value: object) -> tuple[tuple[str, int, str] | None, str | None]:
    """«4 РУ» → («4 РУ», 4, "rus"); a reason in Russian when it is not a known marker."""
    text = " ".join(str(value).split())
    match = _MARKER.match(text.replace(" ", ""))
    if match is None:
        return None, f"маркер «{value}» не похож на «4 РУ» (класс и сокращение предмета)"
    grade, short = int(match.group(1)), match.group(2).upper()
    subject = subject_from_marker(short)
    if subject is None or not 1 <= grade <= 11:
        return None, f"маркер «{value}»: неизвестное сокращение предмета «{short}» или класс"
    return (f"{grade} {short}", grade, subject), None


PARSERS: dict[str, Callable[[object], Parsed]] = {
    "text": _text,
    "code": _code,
    "year": _bounded_int(YEAR_MIN, YEAR_MAX, "год"),
    "grade": _bounded_int(1, 11, "класс"),
    "count": _bounded_int(0, None, "число"),
    "mark": _bounded_int(2, 5, "отметка"),
    "share": _bounded_float(0, 100, "доля в процентах"),
    "number": _bounded_float(0, None, "число"),
    "signed": _bounded_float(-1000, 1000, "изменение балла"),
    "score100": _bounded_float(0, 100, "тестовый балл"),
    "subject": _subject,
    "procedure": _procedure,
    "sex": _choice(dict(_SEX), "«м» или «ж»"),
    "scale": _choice(dict(_SCALES), "первичный, тестовый, отметка, процент"),
    "yes_no": _yes_no,
}
