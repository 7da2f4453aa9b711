"""Read and check one subject's cells in one row of a published ЕГЭ/ОГЭ table.

The conventions are those of the published tables (see ``docs/formats-sources.md``):

* an **empty** «приняло участие» cell means the school had no participants in the subject —
  there is no result, and no row is produced (it is *not* a result with zero participants);
  an explicit 0 means the same;
* when «приняло участие» holds a number, an **empty** count cell («не преодолен min порог»,
  «80–99», «100», «2»…«5») means 0: the tables leave zeros blank (in the sample a municipality
  subtotal, an ``=SUM`` formula, shows 0 over a column whose school cells are all blank);
* a dash («-», «–», «—») or «х» is read as an empty cell, as in the region row's «Профиль» cell.

A subject's cells are rejected together (the school's other subjects are still read) when a
count is not a whole non-negative number, a part is larger than the whole (a count, the sum
«80–99» + «100», or the sum of the marks exceeds the participants), a mean is given with no
participants, or the mean lies outside its scale (ЕГЭ test score 0–100; a mean mark 2–5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.formats.ege.layout import COUNT_MEASURES, MEASURE_NAMES_RU, SubjectBlock
from opora.formats.errors import ReadErrorCode
from opora.formats.workbook import Sheet

_EMPTY_MARKS = {"-", "–", "—", "х", "x", "х.", "x."}
MEAN_RANGES = {"test": (0.0, 100.0), "primary": (0.0, 100.0), "mark": (2.0, 5.0),
               "percent": (0.0, 100.0)}
"""Allowed means per scale: a ЕГЭ test score is 0–100 (ФИПИ scale); a mean mark 2–5; the largest
ОГЭ primary maximum is below 100, so 100 bounds a primary mean too."""


@dataclass
class CellError:
    """One reason the subject's cells were rejected; ``col`` is 0-based."""

    col: int
    code: ReadErrorCode
    message: str


@dataclass
class SubjectValues:
    """The accepted values (``measures``: measure → number) or the reasons for rejection."""

    measures: dict[str, float] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.measures) and not self.errors


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def parse_number(value: object) -> tuple[float | None, bool]:
    """(number, ok). Empty cells and dashes give (None, True); text that is no number (None, False)."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int | float):
        return float(value), True
    text = str(value).replace("\u00a0", "").replace(" ", "").strip()
    if not text or text.lower() in _EMPTY_MARKS:
        return None, True
    try:
        return float(text.replace(",", ".")), True
    except ValueError:
        return None, False


def _raw(sheet: Sheet, row: int, block: SubjectBlock) -> tuple[dict[str, float], list[CellError]]:
    values: dict[str, float] = {}
    errors = []
    for measure, col in block.columns.items():
        cell = sheet.cell(row, col)
        number, ok = parse_number(cell)
        if not ok:
            errors.append(CellError(col, ReadErrorCode.NOT_A_NUMBER,
                                    f"в ячейке «{cell}» не число ({MEASURE_NAMES_RU[measure]})"))
        elif number is not None:
            values[measure] = number
    return values, errors


def read_subject(sheet: Sheet, row: int, block: SubjectBlock, scale: str) -> SubjectValues:
    """Parse and check one subject's cells of one row (see the module docstring)."""
    values, errors = _raw(sheet, row, block)
    if errors:
        return SubjectValues(errors=errors)
    participants = values.get("participants")
    if not participants:
        return SubjectValues(errors=_without_participants(values, block, participants))
    errors = _count_errors(values, block)
    if not errors:
        for measure in block.columns:
            if measure in COUNT_MEASURES:
                values.setdefault(measure, 0.0)
        errors = _part_errors(values, block) + _mean_errors(values, block, scale)
    return SubjectValues(measures={} if errors else values, errors=errors)


def _without_participants(
    values: dict[str, float], block: SubjectBlock, participants: float | None
) -> list[CellError]:
    """No participants (empty or 0) is no result; anything else filled in is a contradiction."""
    told = "0" if participants == 0 else "пусто"
    errors = []
    if values.get("mean_score") is not None:
        errors.append(CellError(block.columns["mean_score"],
                                ReadErrorCode.MEAN_WITHOUT_PARTICIPANTS,
                                f"указан средний балл {_fmt(values['mean_score'])}, "
                                f"а число участников — {told}"))
    for measure in COUNT_MEASURES[1:]:
        if values.get(measure):
            errors.append(CellError(block.columns[measure],
                                    ReadErrorCode.COUNTS_WITHOUT_PARTICIPANTS,
                                    f"указано {_fmt(values[measure])} "
                                    f"({MEASURE_NAMES_RU[measure]}), а число участников — {told}"))
    return errors


def _count_errors(values: dict[str, float], block: SubjectBlock) -> list[CellError]:
    errors = []
    for measure in COUNT_MEASURES:
        value = values.get(measure)
        if value is None:
            continue
        what = MEASURE_NAMES_RU[measure]
        if value < 0:
            errors.append(CellError(block.columns[measure], ReadErrorCode.NEGATIVE_COUNT,
                                    f"отрицательное число {_fmt(value)} ({what})"))
        elif not value.is_integer():
            errors.append(CellError(block.columns[measure], ReadErrorCode.FRACTIONAL_COUNT,
                                    f"дробное число человек {_fmt(value)} ({what})"))
    return errors


def _part_errors(values: dict[str, float], block: SubjectBlock) -> list[CellError]:
    total = values["participants"]
    errors = []
    for measure in COUNT_MEASURES[1:]:
        if values.get(measure, 0) > total:
            errors.append(CellError(
                block.columns[measure], ReadErrorCode.COUNT_EXCEEDS_PARTICIPANTS,
                f"{MEASURE_NAMES_RU[measure]}: {_fmt(values[measure])} — больше, "
                f"чем приняло участие ({_fmt(total)})"))
    if errors:
        return errors
    high_top = values.get("high_scorers", 0) + values.get("top_scorers", 0)
    if high_top > total:
        errors.append(CellError(block.columns["high_scorers"],
                                ReadErrorCode.HIGH_AND_TOP_EXCEED_PARTICIPANTS,
                                f"высокобалльников и стобалльников вместе {_fmt(high_top)} — "
                                f"больше, чем приняло участие ({_fmt(total)})"))
    marks = [m for m in ("mark_2", "mark_3", "mark_4", "mark_5") if m in values]
    if marks and sum(values[m] for m in marks) > total:
        errors.append(CellError(block.columns[marks[0]], ReadErrorCode.MARKS_EXCEED_PARTICIPANTS,
                                f"сумма отметок {_fmt(sum(values[m] for m in marks))} — больше, "
                                f"чем приняло участие ({_fmt(total)})"))
    return errors


def _mean_errors(values: dict[str, float], block: SubjectBlock, scale: str) -> list[CellError]:
    mean = values.get("mean_score")
    low, high = MEAN_RANGES[scale]
    if mean is None or low <= mean <= high:
        return []
    return [CellError(block.columns["mean_score"], ReadErrorCode.MEAN_OUT_OF_RANGE,
                      f"средний балл {_fmt(mean)} вне допустимого диапазона "
                      f"{_fmt(low)}–{_fmt(high)}")]
