"""Hand-built ``cell_stats`` tables for the rules' tests (numbers chosen to be computed by hand)."""

from __future__ import annotations

import math

import pyarrow as pa

from opora.engine.tables import CELL_STATS
from opora.schemas import conform


def student_cell(school: str, scores_pct: list[float], *, procedure: str = "VPR",
                 subject: str = "rus", grade: int = 4, year: int = 2024,
                 **extra: object) -> dict[str, object]:
    """A student-level cell from the students' percent scores (sum and sum of squares)."""
    n = len(scores_pct)
    row: dict[str, object] = {
        "school_key": school, "procedure": procedure, "subject": subject, "grade": grade,
        "year": year, "level": "student", "participants": n, "score_scale": "primary",
        "max_score": 100.0, "mean_score": sum(scores_pct) / n if n else None,
        "mean_pct": sum(scores_pct) / n if n else None, "sum_pct": float(sum(scores_pct)),
        "sumsq_pct": float(sum(x * x for x in scores_pct)),
    }
    row.update(extra)
    return row


def aggregate_cell(school: str, n: int, mean: float, *, procedure: str = "EGE",
                   subject: str = "rus", grade: int = 11, year: int = 2023,
                   **extra: object) -> dict[str, object]:
    """An aggregate-only cell (a published ЕГЭ row): test-score mean, no sum of squares."""
    row: dict[str, object] = {
        "school_key": school, "procedure": procedure, "subject": subject, "grade": grade,
        "year": year, "level": "aggregate", "participants": n, "score_scale": "test",
        "max_score": 100.0, "mean_score": mean, "mean_pct": mean,
        "sum_pct": None if math.isnan(mean) else mean * n,
    }
    row.update(extra)
    return row


def cells_table(rows: list[dict[str, object]]) -> pa.Table:
    names = CELL_STATS.column_names
    columns = {name: [r.get(name) for r in rows] for name in names}
    table = pa.table({n: pa.array(columns[n], CELL_STATS.schema.field(n).type) for n in names})
    return conform(table, CELL_STATS)


def schools_table(keys: list[str], municipalities: list[str] | None = None) -> pa.Table:
    munis = municipalities or ["М1"] * len(keys)
    return pa.table({"school_key": keys, "municipality": munis,
                     "short_name": [f"Школа {k}" for k in keys]})


def reference_table(rows: list[dict[str, object]]) -> pa.Table:
    """Region-level reference rows (``level`` = region)."""
    from opora.schemas import REFERENCE

    full = [{"level": "region", "region": "Область", "grade": 11, "score_scale": "test", **r}
            for r in rows]
    return conform(pa.Table.from_pylist(full), REFERENCE)


def identification(rows: list[dict[str, object]], *, reference: pa.Table | None = None,
                   municipalities: dict[str, str] | None = None, rules=None):  # type: ignore[no-untyped-def]
    """Run regional values → gaps → identification on hand-built cells."""
    from opora.engine.cells import to_cells
    from opora.engine.gaps import compute_gaps
    from opora.engine.identify import identify
    from opora.engine.presets import preset_rules
    from opora.engine.regional import regional_values

    rules = rules or preset_rules("seed001")  # the cases' numbers are seed 001's (issue 12)
    keys = sorted({str(r["school_key"]) for r in rows})
    munis = [(municipalities or {}).get(k, "М1") for k in keys]
    cells = to_cells(cells_table(rows))
    regional = regional_values(cells, reference, schools_table(keys, munis), rules)
    gaps = compute_gaps(cells, regional, rules)
    return cells, regional, gaps, identify(cells, regional, gaps, rules)


def flags_of(result, school: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.flag for f in result.flags if f.school_key == school}
