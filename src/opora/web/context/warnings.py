"""Values of a passport that are allowed but look wrong: the person is asked to confirm them.

Issue 13: the passport accepted 0,125 for «Оба родителя с высшим образованием» — a fraction of
one typed where a percentage is due (DOMAIN.md: «shares written as counts, fractions»). The
model's own rules (0–100 %, a part not larger than its whole) refuse what cannot be; these
warnings stop what can be but seldom is, until the person confirms it:

- a share between 0 and 1 (exclusive): it is 0,125 %, or was 12,5 % meant?
- a value that differs from the school's nearest other year by more than the usual
  year-to-year change of that value. «Usual» is read from the data: the 95th percentile of the
  change between consecutive years of the same school, over the schools of the municipality
  (at least :data:`MIN_PAIRS` such pairs); with fewer, a fixed allowance
  (:data:`SHARE_ALLOWANCE_PP` percentage points for a share, a half — and more than
  :data:`COUNT_SLACK` — for a count or a distance).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from opora.glossary import CONTEXT_COLUMN_BY_CODE, CONTEXT_COLUMNS
from opora.numbers import number
from opora.web.context.models import ContextPassport
from opora.web.schools.models import School

MIN_PAIRS = 20
SHARE_ALLOWANCE_PP = 15.0
COUNT_RATIO = 0.5
COUNT_SLACK = 5.0
QUANTILE = 0.95


@dataclass(frozen=True)
class ValueWarning:
    field: str
    message: str
    value: float

    @property
    def signature(self) -> str:
        return f"{self.field}={self.value!r}"


def usual_change(deltas: Iterable[float]) -> float | None:
    """The 95th percentile of absolute year-to-year changes; ``None`` with too few of them."""
    values = [abs(d) for d in deltas]
    if len(values) < MIN_PAIRS:
        return None
    return float(np.quantile(values, QUANTILE))


def _unit(code: str) -> str:
    unit = CONTEXT_COLUMN_BY_CODE[code].unit
    return "п. п." if unit == "%" else unit


def _text(code: str, value: float) -> str:
    return f"{number(value, 3, trim=True)} {CONTEXT_COLUMN_BY_CODE[code].unit}"


def _fraction(code: str, value: float) -> ValueWarning | None:
    if CONTEXT_COLUMN_BY_CODE[code].unit != "%" or not 0 < value < 1:
        return None
    return ValueWarning(code, f"Похоже на долю единицы: {_text(code, value)} — это меньше одного "
                         f"процента. Если имелось в виду {number(value * 100, 1, trim=True)} %, "
                         "исправьте значение.", value)


def _jump(code: str, value: float, other: tuple[int, float] | None,
          usual: float | None, year_label: Any) -> ValueWarning | None:
    if other is None:
        return None
    year, before = other
    change = abs(value - before)
    share = CONTEXT_COLUMN_BY_CODE[code].unit == "%"
    if usual is not None:
        allowed, how = usual, f"обычно за год меняется не больше чем на {number(usual, 1)} {_unit(code)}"
    elif share:
        allowed, how = SHARE_ALLOWANCE_PP, f"больше {number(SHARE_ALLOWANCE_PP, 0)} п. п. за год — редкость"
    else:
        allowed = max(abs(before) * COUNT_RATIO, COUNT_SLACK)
        how = "изменение больше чем наполовину за год — редкость"
    if change <= allowed:
        return None
    return ValueWarning(code, f"В {year_label(year)} учебном году было {_text(code, before)}; "
                         f"изменение на {number(change, 1, trim=True)} {_unit(code)}, а "
                         f"{how}. Проверьте значение.", value)


def passport_warnings(*, school: School, year: int, values: Mapping[str, Any],
                      year_label: Any) -> list[ValueWarning]:
    """Warnings about ``values`` (the form's cleaned data) of ``school``'s passport for
    ``year``; two queries: the school's other years and the municipality's history."""
    filled = {c.code: float(values[c.code]) for c in CONTEXT_COLUMNS
              if values.get(c.code) is not None}
    if not filled:
        return []
    nearest = _nearest_other_year(school, year, list(filled))
    usual = _usual_changes(school, list(filled))
    found = []
    for code, value in filled.items():
        warning = _fraction(code, value) or _jump(code, value, nearest.get(code),
                                                   usual.get(code), year_label)
        if warning is not None:
            found.append(warning)
    return found


def _nearest_other_year(school: School, year: int, codes: list[str]
                        ) -> dict[str, tuple[int, float]]:
    """Per field, the value of the school's closest other year that has it (earlier first)."""
    rows = (ContextPassport.objects.filter(school=school).exclude(year=year)
            .values("year", *codes))
    best: dict[str, tuple[int, float]] = {}
    for row in sorted(rows, key=lambda r: (abs(r["year"] - year), r["year"] > year)):
        for code in codes:
            if code not in best and row[code] is not None:
                best[code] = (row["year"], float(row[code]))
    return best


def _usual_changes(school: School, codes: list[str]) -> dict[str, float | None]:
    """Per field, :func:`usual_change` over consecutive years of the municipality's schools."""
    rows = (ContextPassport.objects.filter(school__municipality_id=school.municipality_id)
            .order_by("school_id", "year").values("school_id", "year", *codes))
    series: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        series[row["school_id"]].append(row)
    deltas: dict[str, list[float]] = defaultdict(list)
    for years in series.values():
        for before, after in pairwise(years):
            if after["year"] != before["year"] + 1:
                continue
            for code in codes:
                if before[code] is not None and after[code] is not None:
                    deltas[code].append(float(after[code]) - float(before[code]))
    return {code: usual_change(deltas[code]) for code in codes}
