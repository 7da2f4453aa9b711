"""The history of a school's card: its registry record and its context passports (audit)."""

from __future__ import annotations

from typing import Any

from opora.web.audit.history import HistoryEntry, history_entries
from opora.web.context.selectors import passport_history
from opora.web.schools.models import School


def _describe(record: Any, show: Any) -> str:
    return "Сведения о школе"


def school_history(*, school: School) -> list[HistoryEntry]:
    """Changes of the school record and of every passport of the school, newest first."""
    records = School.history.filter(id=school.pk).select_related("history_user")
    entries = history_entries(records, model=School, describe=_describe)
    entries += passport_history(school=school)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
