"""Reads of context passports and their history for pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from opora.web.audit.history import HistoryEntry, history_entries
from opora.web.context.models import ContextPassport
from opora.web.schools.models import School

FIRST_YEAR = 2000  # the earliest school year a passport may describe (2000/01)


def passport_years() -> range:
    """School years a passport may be filled for: 2000/01 … the current one, newest first."""
    now = timezone.localdate()
    current = now.year if now.month >= 9 else now.year - 1  # the school year starts in September
    return range(current, FIRST_YEAR - 1, -1)


def passport_for(*, school: School, year: int) -> ContextPassport:
    """The school's passport for ``year``, or a new unsaved one; 404 for a year out of range."""
    if year not in passport_years():
        raise Http404("Нет такого учебного года")
    found = ContextPassport.objects.filter(school=school, year=year).first()
    return found if found is not None else ContextPassport(school=school, year=year)


def school_year(year: int) -> str:
    """2023 → «2023/24» (the passport's year is the start year of the school year)."""
    return f"{year}/{(year + 1) % 100:02d}"


def _describe(record: Any, show: Any) -> str:
    return f"Социальный паспорт {school_year(record.year)}"


def passport_history(*, school: School, year: int | None = None) -> list[HistoryEntry]:
    """Changes of the school's passports (of one year, or all), newest first (two queries)."""
    records = ContextPassport.history.filter(school_id=school.pk).select_related("history_user")
    if year is not None:
        records = records.filter(year=year)
    return history_entries(records, model=ContextPassport, excluded=("school",),
                           describe=_describe)
