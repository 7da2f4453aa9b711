"""Checks across the cells of one template row: a part is never larger than its whole.

The seed tables (``/work/shared/seeds``) show what hand-typed numbers look like when unchecked:
counts larger than the school, shares typed as counts. Each rule here names the field to point at
and says in Russian what does not add up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from opora.formats.errors import ReadErrorCode

Record = dict[str, object]


class Complaint(NamedTuple):
    """What does not add up in a row: the field to point at, the code, the Russian message, and
    the fields to drop. ``drop`` empty: the row is rejected. ``drop`` given: only those values
    are left empty and the row is kept (a side count larger than the participants must not cost
    the participants and the mean, issue 11)."""

    field: str
    code: ReadErrorCode
    message: str
    drop: tuple[str, ...] = ()


def _num(record: Record, field: str) -> float:
    value = record.get(field)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


_KEPT = "; значение не взято, участники и средний балл приняты"


def _aggregates(record: Record) -> list[Complaint]:
    complaints = []
    whole = _num(record, "participants")
    marks = [f"mark_{m}" for m in (2, 3, 4, 5)]
    total = sum(_num(record, f) for f in marks)
    if total > whole:
        complaints.append(Complaint("mark_2", ReadErrorCode.PART_EXCEEDS_WHOLE,
                                    f"сумма получивших «2»–«5» ({total:g}) больше числа "
                                    f"участников ({whole:g}){_KEPT}", tuple(marks)))
    for field, what in (("below_threshold", "не преодолевших порог"),
                        ("high_scorers", "высокобалльников"), ("top_scorers", "стобалльников")):
        if _num(record, field) > whole:
            complaints.append(Complaint(field, ReadErrorCode.PART_EXCEEDS_WHOLE,
                                        f"{what} ({_num(record, field):g}) больше, чем "
                                        f"участников ({whole:g}){_KEPT}", (field,)))
    high = _num(record, "high_scorers") + _num(record, "top_scorers")
    if high > whole and not complaints:
        complaints.append(Complaint("high_scorers", ReadErrorCode.PART_EXCEEDS_WHOLE,
                                    f"высокобалльников и стобалльников вместе ({high:g}) больше, "
                                    f"чем участников ({whole:g}){_KEPT}",
                                    ("high_scorers", "top_scorers")))
    return complaints + _mean_score(record)


_MEAN_RANGES = {"test": (0.0, 100.0), "percent": (0.0, 100.0), "mark": (2.0, 5.0)}


def _mean_score(record: Record) -> list[Complaint]:
    mean, scale = record.get("mean_score"), record.get("score_scale")
    if mean is None:
        return []
    if scale is None:
        return [Complaint("score_scale", ReadErrorCode.SCALE_MISSING,
                          "средний балл указан, а шкала — нет: напишите «первичный», «тестовый», "
                          "«отметка» или «процент»")]
    low, high = _MEAN_RANGES.get(str(scale), (0.0, float("inf")))
    value = _num(record, "mean_score")
    if not low <= value <= high:
        return [Complaint("mean_score", ReadErrorCode.BAD_VALUE,
                          f"средний балл {value:g} невозможен в шкале «{scale}» "
                          f"({low:g}–{high:g}); значение не взято, участники приняты",
                          ("mean_score",))]
    return []


def _results(record: Record) -> list[Complaint]:
    if record.get("absent") is True:
        filled = [f for f in ("primary_score", "mark", "test_score") if record.get(f) is not None]
        if filled:
            return [Complaint(filled[0], ReadErrorCode.ABSENT_WITH_SCORES,
                              "участник отмечен отсутствовавшим, но у него есть балл или "
                              "отметка")]
    return []


def _context(record: Record) -> list[Complaint]:
    if record.get("teachers") == 0 and _num(record, "share_teachers_retirement_age") > 0:
        return [Complaint("share_teachers_retirement_age", ReadErrorCode.PART_EXCEEDS_WHOLE,
                          "педагогов 0, а доля педагогов пенсионного возраста больше нуля")]
    return []


def _rechecks(record: Record) -> list[Complaint]:
    """More changed works than re-checked ones: the changed count is left empty, the re-check
    itself (works and the mean change) is kept."""
    changed, rechecked = _num(record, "works_changed"), _num(record, "works_rechecked")
    if changed > rechecked:
        return [Complaint("works_changed", ReadErrorCode.PART_EXCEEDS_WHOLE,
                          f"работ с изменённой отметкой ({changed:g}) больше, чем перепроверено "
                          f"({rechecked:g}); значение не взято, остальные приняты",
                          ("works_changed",))]
    return []


RULES: dict[str, Callable[[Record], list[Complaint]]] = {
    "aggregates": _aggregates, "results": _results, "context": _context, "rechecks": _rechecks,
}


def row_complaints(template: str, record: Record) -> list[Complaint]:
    rule = RULES.get(template)
    return rule(record) if rule else []
