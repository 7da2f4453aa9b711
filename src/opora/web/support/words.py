"""Russian words the support pages need: plural forms and dates as documents write them."""

from __future__ import annotations

import datetime as dt

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
          "октябрь", "ноябрь", "декабрь")
MONTHS_OF = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")
WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def plural(count: int, one: str, few: str, many: str) -> str:
    """The form of a noun after ``count``: 1 педагог, 2 педагога, 5 педагогов, 11 педагогов."""
    tens, units = count % 100, count % 10
    if 11 <= tens <= 14:
        return many
    if units == 1:
        return one
    return few if 2 <= units <= 4 else many


def counted(count: int, one: str, few: str, many: str) -> str:
    return f"{count} {plural(count, one, few, many)}"


def day_text(day: dt.date) -> str:
    """«12 марта 2025»."""
    return f"{day.day} {MONTHS_OF[day.month - 1]} {day.year}"
