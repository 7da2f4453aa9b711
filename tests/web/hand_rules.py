"""The identification rule worked out from the loaded rows, with no engine code (issue 19).

The analysis-run test compares the web pipeline's stored flags with a direct engine run; this is
the other, independent reference: the students' rows, the scales and the published region totals,
and the formulas of docs/methodology.md §2–3 written out again in plain Python.
"""

from __future__ import annotations

import math

import pyarrow as pa

IDENTIFICATION_SUBJECTS = ("rus", "math", "math_profile", "math_base")
Z95 = 1.959964  # the normal 97,5 % quantile


def subject_gaps(tables: dict[str, pa.Table]) -> dict[tuple[str, str, int], tuple[int, float,
                                                                                  float]]:
    """(school, subject family, year) → (works, combined gap, its SE), points of the maximum.

    Per work (school × procedure × subject × grade × year, ≥ 5 present participants): the mean
    percent of the maximum (ЕГЭ: the test score) minus the region total converted the same way;
    SE = SD/√n (a published total has no error of its own). Works of a subject are combined
    weighted by participants: d = Σnd/Σn, SE = √(Σn²SE²)/Σn.
    """
    maxima = {(s["procedure"], s["subject"], s["grade"], s["year"]): s["max_primary_score"]
              for s in tables["scales"].to_pylist()}
    region = {(r["procedure"], r["subject"], r["grade"], r["year"]): r["mean_score"]
              for r in tables["reference"].to_pylist() if r["level"] == "region"}
    works: dict[tuple[str, str, str, int, int], list[float]] = {}
    for r in tables["results"].to_pylist():
        if r["absent"] or r["subject"] not in IDENTIFICATION_SUBJECTS:
            continue
        cell = (r["procedure"], r["subject"], r["grade"], r["year"])
        top = 100.0 if r["procedure"] == "EGE" else maxima[cell]
        score = r["test_score"] if r["procedure"] == "EGE" else r["primary_score"]
        if score is not None:
            works.setdefault((r["school_key"], *cell), []).append(score / top * 100)
    parts: dict[tuple[str, str, int], list[tuple[int, float, float]]] = {}
    for (school, procedure, subject, grade, year), xs in works.items():
        n, cell = len(xs), (procedure, subject, grade, year)
        if n < 5 or cell not in region:
            continue
        mean = sum(xs) / n
        top = 100.0 if procedure == "EGE" else maxima[cell]
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
        family = "math" if subject.startswith("math") else subject
        parts.setdefault((school, family, year), []).append(
            (n, mean - region[cell] / top * 100, sd / math.sqrt(n)))
    out = {}
    for key, items in parts.items():
        total = sum(n for n, _, _ in items)
        gap = sum(n * g for n, g, _ in items) / total
        se = math.sqrt(sum((n * s) ** 2 for n, _, s in items)) / total
        out[key] = (len(items), gap, se)
    return out


def low_results(tables: dict[str, pa.Table], min_low_years: int = 2, min_gap_pct: float = 10.0,
                require_last_year: bool = True) -> set[str]:
    """Schools whose whole 95 % interval of a subject is below −``min_gap_pct`` in
    ≥ ``min_low_years`` years of the data, the data's last year among them when
    ``require_last_year`` (the defaults of rules 2026.2, issue 12; the literal rule of seed 001:
    ``min_gap_pct=0, require_last_year=False``)."""
    gaps = subject_gaps(tables)
    last = max(year for _, _, year in gaps)
    low: dict[str, set[int]] = {}
    for (school, _family, year), (_, gap, se) in gaps.items():
        if gap + Z95 * se < -min_gap_pct:
            low.setdefault(school, set()).add(year)
    return {school for school, years in low.items()
            if len(years) >= min_low_years and (last in years or not require_last_year)}
