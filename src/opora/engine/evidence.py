"""Russian sentences a coordinator can read aloud at a meeting, with every number in them.

ARCHITECTURE.md: «A school is never "ШНОР" without the numbers that made it so … procedure,
subject, grade, year, school value, regional value, participants, interval». Numbers use a
decimal comma and a real minus sign, as in Russian documents.
"""

from __future__ import annotations

import numpy as np

from opora.catalog import PROCEDURES, SUBJECTS
from opora.numbers import NO_DATA, number


def num(value: float, digits: int = 1, signed: bool = False) -> str:
    """``-7.36`` → «−7,4»; ``signed`` adds «+» to positive numbers (for differences); a missing
    value is «н/д». The formatter is :func:`opora.numbers.number`, the same as the pages'."""
    if type(value) is np.float64 or type(value) is np.int64:
        # the same number as Python's own, which formats in a third of the time: the evidence
        # of a country spells ~450 thousand numbers (issue 18)
        value = value.item()
    return number(value, digits, signed=signed, missing=NO_DATA)


def cell_name(procedure: str, subject: str, grade: int, year: int) -> str:
    """«ЕГЭ, русский язык, 11 класс, 2023»."""
    proc = PROCEDURES[procedure].name_ru if procedure in PROCEDURES else procedure
    subj = SUBJECTS[subject].name_ru.lower() if subject in SUBJECTS else subject
    subj = subj.replace("(профильный уровень)", "(профиль)").replace("(базовый уровень)", "(база)")
    return f"{proc}, {subj}, {grade} класс, {year}"


def units(score_scale: str | None) -> tuple[str, str, float | None]:
    """(what the mean is called, unit of a difference, scale factor from %) for a cell's scale.

    ЕГЭ test scores (0–100) are spoken of in «баллы»; primary scores differ in maximum between
    grades and years, so they are compared in percent of the maximum («п.п.»).
    """
    if score_scale == "test":
        return "средний балл", "балла", 1.0
    return "средний результат (% от максимума)", "п.п.", None


def cell_evidence(row: dict[str, object], sd_note: str = "") -> str:
    """The sentence for one school × procedure × subject × grade × year cell.

    ``row`` holds procedure, subject, grade, year, score_scale, max_score, mean_pct,
    region_mean_pct, participants, gap_pct, gap_low_pct, gap_high_pct, region_source.
    """
    what, unit, _ = units(row.get("score_scale"))  # type: ignore[arg-type]
    factor = (float(row["max_score"]) / 100.0  # type: ignore[arg-type]
              if row.get("score_scale") == "test" and row.get("max_score") else 1.0)
    if row.get("score_scale") != "test":
        factor = 1.0

    def scaled(key: str) -> float:
        return float(row[key]) * factor  # type: ignore[arg-type]

    name = cell_name(str(row["procedure"]), str(row["subject"]), int(row["grade"]),  # type: ignore[call-overload]
                     int(row["year"]))  # type: ignore[call-overload]
    text = (f"{name}: {what} школы {num(scaled('mean_pct'))} при среднем по региону "
            f"{num(scaled('region_mean_pct'))} ({row['region_source']}); "
            f"участников {int(row['participants'])}; "  # type: ignore[call-overload]
            f"разница {num(scaled('gap_pct'), signed=True)} {unit}, 95 % интервал от "
            f"{num(scaled('gap_low_pct'), signed=True)} до {num(scaled('gap_high_pct'), signed=True)}")
    return text + (f" ({sd_note})" if sd_note else "")


def sd_note(sd_kind: str, sd_pct: float, score_scale: str | None) -> str:
    """Why the interval of an aggregate-only cell is what it is (the SD was assumed)."""
    unit = "балла" if score_scale == "test" else "п.п."
    if sd_kind == "region":
        return (f"разброс результатов учеников школы неизвестен (только итоги); взят разброс по "
                f"ученикам региона, SD = {num(sd_pct)} {unit}")
    if sd_kind == "default":
        return (f"разброс результатов учеников неизвестен (только итоги); принято SD = "
                f"{num(sd_pct)} {unit} (параметр regional.default_sd_pct)")
    return ""


def join_limited(sentences: list[str], limit: int = 6) -> str:
    """Join sentences with «; », keeping the first ``limit`` and counting the rest."""
    shown = sentences[:limit]
    text = ". ".join(shown)
    if len(sentences) > limit:
        text += f". И ещё {len(sentences) - limit} аналогичных результатов"
    return text
