"""Helpers for the boundary tests: rules with one parameter changed, published-total cells.

The boundary tests put a case just inside and just outside every condition of every rule of
``docs/methodology.md`` (issue 19). Most use aggregate-only ЕГЭ/ВПР cells against a published
region total, because their interval is the simplest to work out by hand: the total has no error
of its own (SE of the region = 0) and the student SD is the configured one (ЕГЭ 15, ВПР 20 points),
so SE = SD / √n and the 95 % interval is gap ± 1,959964 · SE.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rules_data import aggregate_cell, identification, reference_table

from opora.engine.config import Rules
from opora.engine.presets import preset_rules

Z95 = 1.959963984540054  # Φ⁻¹(0,975): the normal 97,5 % quantile (printed tables: 1,96)
Z90 = 1.6448536269514722  # Φ⁻¹(0,95), for a 90 % interval
YEARS = (2022, 2023, 2024)


def rules_with(**sections: dict[str, Any]) -> Rules:
    """The literal rule of seed 001 (``presets/seed001.toml``: the defaults until their
    calibration, issue 12) with some parameters changed: ``rules_with(identification={...})``.
    The boundary cases and their hand-computed numbers are those of that rule; the calibrated
    defaults have their own cases (test_boundaries_calibrated.py)."""
    rules = preset_rules("seed001")
    for name, changes in sections.items():
        rules = replace(rules, **{name: replace(getattr(rules, name), **changes)})
    return rules


def ege(school: str, n: int, mean: float, *, year: int = 2024, subject: str = "rus",
        **extra: object) -> dict[str, object]:
    """A published ЕГЭ row of one school: ``n`` participants, mean test score ``mean``."""
    return aggregate_cell(school, n, mean, year=year, subject=subject, **extra)


def vpr(school: str, n: int, mean: float, *, grade: int = 4, year: int = 2024,
        subject: str = "rus", **extra: object) -> dict[str, object]:
    """An aggregate-only ВПР row (percent of maximum; SD assumed 20 points)."""
    row = aggregate_cell(school, n, mean, procedure="VPR", grade=grade, year=year,
                         subject=subject, **extra)
    row["score_scale"] = "primary"
    return row


def totals(means: dict[tuple[str, str, int, int], float]) -> Any:
    """Region totals: (procedure, subject, grade, year) → the region's mean (0–100)."""
    return reference_table([
        {"procedure": p, "subject": s, "grade": g, "year": y, "mean_score": m,
         "score_scale": "test" if p == "EGE" else "primary",
         "source": f"итоги.xlsx:{y}:{10 + k}"}
        for k, ((p, s, g, y), m) in enumerate(means.items())])


def run(rows: list[dict[str, object]], region: dict[tuple[str, str, int, int], float] | None,
        rules: Rules | None = None, municipalities: dict[str, str] | None = None) -> Any:
    """Regional values → gaps → identification (``rules_data.identification``)."""
    reference = totals(region) if region else None
    return identification(rows, reference=reference, rules=rules, municipalities=municipalities)


def flags(result: Any, school: str = "A") -> set[str]:
    return {f.flag for f in result.flags if f.school_key == school}


def evidence(result: Any, flag: str, school: str = "A") -> str:
    return next(f.evidence for f in result.flags if f.school_key == school and f.flag == flag)
