"""Checks across the cells of one template row: a part is never larger than its whole.

The seed tables (``/work/shared/seeds``) show what hand-typed numbers look like when unchecked:
counts larger than the school, shares typed as counts. Each rule here names the field to point at
and says in Russian what does not add up.
"""

from __future__ import annotations

from collections.abc import Callable

from opora.formats.errors import ReadErrorCode

Complaint = tuple[str, ReadErrorCode, str]  # field, code, Russian message
Record = dict[str, object]


def _num(record: Record, field: str) -> float:
    value = record.get(field)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _aggregates(record: Record) -> list[Complaint]:
    complaints = []
    whole = _num(record, "participants")
    marks = sum(_num(record, f"mark_{m}") for m in (2, 3, 4, 5))
    if marks > whole:
        complaints.append(("mark_2", ReadErrorCode.PART_EXCEEDS_WHOLE,
                           f"сумма получивших «2»–«5» ({marks:g}) больше числа участников "
                           f"({whole:g})"))
    for field, what in (("below_threshold", "не преодолевших порог"),
                        ("high_scorers", "высокобалльников"), ("top_scorers", "стобалльников")):
        if _num(record, field) > whole:
            complaints.append((field, ReadErrorCode.PART_EXCEEDS_WHOLE,
                               f"{what} ({_num(record, field):g}) больше, чем участников "
                               f"({whole:g})"))
    high = _num(record, "high_scorers") + _num(record, "top_scorers")
    if high > whole and not complaints:
        complaints.append(("high_scorers", ReadErrorCode.PART_EXCEEDS_WHOLE,
                           f"высокобалльников и стобалльников вместе ({high:g}) больше, чем "
                           f"участников ({whole:g})"))
    return complaints + _mean_score(record)


_MEAN_RANGES = {"test": (0.0, 100.0), "percent": (0.0, 100.0), "mark": (2.0, 5.0)}


def _mean_score(record: Record) -> list[Complaint]:
    mean, scale = record.get("mean_score"), record.get("score_scale")
    if mean is None:
        return []
    if scale is None:
        return [("score_scale", ReadErrorCode.SCALE_MISSING,
                 "средний балл указан, а шкала — нет: напишите «первичный», «тестовый», "
                 "«отметка» или «процент»")]
    low, high = _MEAN_RANGES.get(str(scale), (0.0, float("inf")))
    value = _num(record, "mean_score")
    if not low <= value <= high:
        return [("mean_score", ReadErrorCode.BAD_VALUE,
                 f"средний балл {value:g} невозможен в шкале «{scale}» ({low:g}–{high:g})")]
    return []


def _results(record: Record) -> list[Complaint]:
    if record.get("absent") is True:
        filled = [f for f in ("primary_score", "mark", "test_score") if record.get(f) is not None]
        if filled:
            return [(filled[0], ReadErrorCode.ABSENT_WITH_SCORES,
                     "участник отмечен отсутствовавшим, но у него есть балл или отметка")]
    return []


def _context(record: Record) -> list[Complaint]:
    if record.get("teachers") == 0 and _num(record, "share_teachers_retirement_age") > 0:
        return [("share_teachers_retirement_age", ReadErrorCode.PART_EXCEEDS_WHOLE,
                 "педагогов 0, а доля педагогов пенсионного возраста больше нуля")]
    return []


RULES: dict[str, Callable[[Record], list[Complaint]]] = {
    "aggregates": _aggregates, "results": _results, "context": _context,
}


def row_complaints(template: str, record: Record) -> list[Complaint]:
    rule = RULES.get(template)
    return rule(record) if rule else []
