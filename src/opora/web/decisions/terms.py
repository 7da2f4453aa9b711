"""The words of the recommendations, decisions and the annual cycle, from the glossary (codes
stored in the database, Russian names, display order), and what the app adds to them: the
default dates of the year's stages and helpers for choices."""

from __future__ import annotations

from opora.glossary import (
    ADDRESSEE_BY_CODE,
    ADDRESSEES,
    CYCLE_STAGES,
    DECISION_STATUSES,
    MEETING_KINDS,
    OPEN_DECISION_STATUSES,
    OPEN_RECOMMENDATION,
    RECOMMENDATION_STATUSES,
    SCHOOL_ADDRESSEES,
    SELF_ASSESSMENT,
    SYSTEM_PARTS,
    DecisionTerm,
)
from opora.glossary import PLAN_MEASURE_STATUSES as MEASURE_STATUSES

__all__ = ["ADDRESSEES", "ADDRESSEE_BY_CODE", "CYCLE_DEFAULTS", "CYCLE_STAGES",
           "DECISION_STATUSES", "MEASURE_STATUSES", "MEETING_KINDS", "OPEN_DECISION_STATUSES",
           "OPEN_RECOMMENDATION", "RECOMMENDATION_STATUSES", "SCHOOL_ADDRESSEES",
           "SELF_ASSESSMENT", "SYSTEM_PARTS", "DecisionTerm", "choices", "name"]

#: ((month, day) start, (month, day) due, year offset of the start, of the due date) from the
#: school year that starts in September of year Y.
CYCLE_DEFAULTS: dict[str, tuple[tuple[int, int], tuple[int, int], int, int]] = {
    "identification": ((9, 1), (9, 30), 0, 0),
    "programmes": ((9, 15), (10, 31), 0, 0),
    "monitoring": ((10, 1), (4, 30), 0, 1),
    "recommendations": ((5, 1), (7, 31), 1, 1),
    "effectiveness": ((8, 1), (8, 31), 1, 1),
    "effectiveness_q1": ((1, 10), (3, 31), 1, 1),
}



def choices(terms: tuple[DecisionTerm, ...]) -> list[tuple[str, str]]:
    return [(t.code, t.name_ru) for t in terms]


def name(terms: tuple[DecisionTerm, ...], code: str) -> str:
    return next((t.name_ru for t in terms if t.code == code), code)
