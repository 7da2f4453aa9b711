"""Read and check one subject's cells in one row of a published ЕГЭ/ОГЭ table.

The conventions are those of the published tables (see ``docs/formats-sources.md``):

* an **empty** «приняло участие» cell means the school had no participants in the subject —
  there is no result, and no row is produced (it is *not* a result with zero participants);
  an explicit 0 means the same. A mean of 0 (and counts of 0) beside it is how many regions
  print «nobody sat it»: no result and no problem (a real two-year table had 3,794 such cells);
* when «приняло участие» holds a number, an **empty** count cell («не преодолен min порог»,
  «80–99», «100», «2»…«5») means 0: the tables leave zeros blank (in the sample a municipality
  subtotal, an ``=SUM`` formula, shows 0 over a column whose school cells are all blank);
* a dash («-», «–», «—») or «х» is read as an empty cell, as in the region row's «Профиль» cell.

What is rejected and what is only dropped («never lose a valid number because a neighbouring cell
is wrong», issue 11):

* the subject's result is **rejected** (no row; the school's other subjects are still read) only
  when the participants themselves cannot be taken: not a number, negative or fractional — or
  when a mean or counts are given beside no participants (there is nothing to keep);
* a **side value** that cannot be right — a count that is no whole non-negative number, a part
  larger than the whole (below the threshold, «80–99», «100», a mark, the sum «80–99» + «100»,
  the sum of the marks), a mean that is no number or lies outside its scale — is **dropped**
  (left empty) with a warning at its place; the participants and the other values are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.catalog import SCALES
from opora.formats.ege.layout import COUNT_MEASURES, MEASURE_NAMES_RU, SubjectBlock
from opora.formats.errors import ReadErrorCode
from opora.formats.workbook import Sheet

_EMPTY_MARKS = {"-", "–", "—", "х", "x", "х.", "x."}
MEAN_RANGES = {code: (scale.low, scale.high) for code, scale in SCALES.items()}
"""Allowed means per scale (``catalog.SCALES``): a ЕГЭ test score is 0–100 (ФИПИ scale); a mean
mark 2–5; the largest ОГЭ primary maximum is below 100, so 100 bounds a primary mean too."""
_MARKS = ("mark_2", "mark_3", "mark_4", "mark_5")
Dropped = list[tuple["CellError", tuple[str, ...]]]  # a reason and the measures it drops


@dataclass
class CellError:
    """One reason about one cell; ``col`` is 0-based."""

    col: int
    code: ReadErrorCode
    message: str


@dataclass
class SubjectValues:
    """The accepted values (``measures``: measure → number), the reasons the whole result was
    rejected (``errors``) and the values dropped with a warning (``dropped``)."""

    measures: dict[str, float] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    dropped: list[CellError] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.measures) and not self.errors


def fmt(value: float) -> str:
    """A number as a Russian text shows it: 12, 4,5."""
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
    values, unreadable = _raw(sheet, row, block)
    participants_col = block.columns.get("participants")
    if any(e.col == participants_col for e in unreadable):
        return SubjectValues(errors=unreadable)
    participants = values.get("participants")
    if not participants:
        return SubjectValues(errors=_without_participants(values, block, participants))
    errors = _participant_errors(participants, block)
    if errors:
        return SubjectValues(errors=errors)
    result = SubjectValues(measures=values, dropped=list(unreadable))
    for measure in block.columns:
        if measure in COUNT_MEASURES and not any(e.col == block.columns[measure]
                                                 for e in unreadable):
            values.setdefault(measure, 0.0)
    _drop(result, _count_errors(values, block))
    _drop(result, _part_errors(values, block))
    _drop(result, _mean_errors(values, block, scale))
    return result


def _drop(result: SubjectValues, reasons: Dropped) -> None:
    for reason, measures in reasons:
        result.dropped.append(reason)
        for measure in measures:
            result.measures.pop(measure, None)


def _without_participants(
    values: dict[str, float], block: SubjectBlock, participants: float | None
) -> list[CellError]:
    """No participants (empty or 0) is no result; a mean or counts of 0 beside it say the same
    (module docstring); anything else filled in is a contradiction."""
    told = "0" if participants == 0 else "пусто"
    errors = []
    if values.get("mean_score"):
        errors.append(CellError(block.columns["mean_score"],
                                ReadErrorCode.MEAN_WITHOUT_PARTICIPANTS,
                                f"указан средний балл {fmt(values['mean_score'])}, "
                                f"а число участников — {told}"))
    for measure in COUNT_MEASURES[1:]:
        if values.get(measure):
            errors.append(CellError(block.columns[measure],
                                    ReadErrorCode.COUNTS_WITHOUT_PARTICIPANTS,
                                    f"указано {fmt(values[measure])} "
                                    f"({MEASURE_NAMES_RU[measure]}), а число участников — {told}"))
    return errors


def _participant_errors(participants: float, block: SubjectBlock) -> list[CellError]:
    col = block.columns["participants"]
    if participants < 0:
        return [CellError(col, ReadErrorCode.NEGATIVE_COUNT,
                          f"отрицательное число участников {fmt(participants)}")]
    if not participants.is_integer():
        return [CellError(col, ReadErrorCode.FRACTIONAL_COUNT,
                          f"дробное число участников {fmt(participants)}")]
    return []


def _count_errors(values: dict[str, float],
                  block: SubjectBlock) -> Dropped:
    errors: Dropped = []
    for measure in COUNT_MEASURES[1:]:
        value = values.get(measure)
        if value is None:
            continue
        what = MEASURE_NAMES_RU[measure]
        if value < 0:
            errors.append((CellError(block.columns[measure], ReadErrorCode.NEGATIVE_COUNT,
                                     f"отрицательное число {fmt(value)} ({what})"), (measure,)))
        elif not value.is_integer():
            errors.append((CellError(block.columns[measure], ReadErrorCode.FRACTIONAL_COUNT,
                                     f"дробное число человек {fmt(value)} ({what})"), (measure,)))
    return errors


def _part_errors(values: dict[str, float],
                 block: SubjectBlock) -> Dropped:
    total = values["participants"]
    errors: Dropped = []
    for measure in COUNT_MEASURES[1:]:
        if values.get(measure, 0) > total:
            errors.append((CellError(
                block.columns[measure], ReadErrorCode.COUNT_EXCEEDS_PARTICIPANTS,
                f"{MEASURE_NAMES_RU[measure]}: {fmt(values[measure])} — больше, "
                f"чем приняло участие ({fmt(total)})"), (measure,)))
    if errors:
        return errors
    high_top = values.get("high_scorers", 0) + values.get("top_scorers", 0)
    if high_top > total:
        errors.append((CellError(block.columns["high_scorers"],
                                 ReadErrorCode.HIGH_AND_TOP_EXCEED_PARTICIPANTS,
                                 f"высокобалльников и стобалльников вместе {fmt(high_top)} — "
                                 f"больше, чем приняло участие ({fmt(total)})"),
                       ("high_scorers", "top_scorers")))
    marks = [m for m in _MARKS if m in values]
    if marks and sum(values[m] for m in marks) > total:
        errors.append((CellError(block.columns[marks[0]], ReadErrorCode.MARKS_EXCEED_PARTICIPANTS,
                                 f"сумма отметок {fmt(sum(values[m] for m in marks))} — больше, "
                                 f"чем приняло участие ({fmt(total)})"), tuple(marks)))
    return errors


def _mean_errors(values: dict[str, float], block: SubjectBlock,
                 scale: str) -> Dropped:
    mean = values.get("mean_score")
    low, high = MEAN_RANGES[scale]
    if mean is None or low <= mean <= high:
        return []
    return [(CellError(block.columns["mean_score"], ReadErrorCode.MEAN_OUT_OF_RANGE,
                       f"средний балл {fmt(mean)} вне шкалы «{SCALES[scale].name_ru}» "
                       f"({fmt(low)}–{fmt(high)})"), ("mean_score",))]


def dropped_note(measures: dict[str, float]) -> str:
    """What was kept beside a dropped value: «участники (12) и средний балл приняты»."""
    kept = f"участники ({fmt(measures['participants'])})"
    if measures.get("mean_score") is not None:
        kept += " и средний балл"
    return f"значение не взято; {kept} приняты"
