"""The engine's output files into the ``Run*`` tables (one transaction per run).

Reads exactly what :func:`opora.engine.run.write_outputs` writes (issue 3): ``flags.csv`` and
``pairs.csv`` (UTF-8 with BOM), ``school_stats.parquet``, ``context.parquet``,
``objectivity.parquet``. School keys become registry foreign keys; a key the registry lacks
(which cannot happen for tables exported from the same database) is counted, never guessed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.db import transaction

from opora.csv_safety import restore
from opora.web.analysis.labels import OBJECTIVITY_SIGNS
from opora.web.analysis.models import (
    AnalysisRun,
    RunContext,
    RunFlag,
    RunObjectivity,
    RunPair,
    RunSchoolStat,
)
from opora.web.schools.models import School

BATCH = 2000
_STAT_COLUMNS = ("procedure", "subject", "grade", "year", "participants", "mean_pct",
                 "mean_score", "fail_share_pct", "region_mean_pct", "region_sd_pct", "gap_pct",
                 "gap_low_pct", "gap_high_pct", "region_source_kind", "region_source", "status")
_CONTEXT_COLUMNS = ("year", "context_index", "quintile", "adverse_context", "result_gap_pct",
                    "expected_gap_pct", "residual_pct", "residual_low_pct", "residual_high_pct")


def _clean(value: Any) -> Any:
    """NaN → None (the database has no NaN in a nullable number column)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows as the engine meant them: a cell neutralised for Excel is restored
    (:mod:`opora.csv_safety`)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {k: restore(v) for k, v in row.items()}


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist() if path.exists() else []


def _number(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


class _Loader:
    """Builds the rows of one run; ``missing`` holds school keys the registry lacks."""

    def __init__(self, run: AnalysisRun, out_dir: Path) -> None:
        self.run, self.out = run, out_dir
        self.ids = dict(School.objects.values_list("key", "pk"))
        self.missing: set[str] = set()

    def school(self, key: str) -> int | None:
        found = self.ids.get(key)
        if found is None:
            self.missing.add(key)
        return found

    def flags(self) -> list[RunFlag]:
        return [RunFlag(run=self.run, school_id=sid, flag=r["flag"], year=int(r["year"]),
                        evidence=r["evidence"])
                for r in _csv_rows(self.out / "flags.csv")
                if (sid := self.school(r["school_key"])) is not None]

    def stats(self) -> list[RunSchoolStat]:
        rows = []
        for r in _parquet_rows(self.out / "school_stats.parquet"):
            if (sid := self.school(r["school_key"])) is not None:
                values = {c: _clean(r.get(c)) for c in _STAT_COLUMNS}
                values["region_source_kind"] = values["region_source_kind"] or ""
                values["region_source"] = values["region_source"] or ""
                values["status"] = values["status"] or ""
                rows.append(RunSchoolStat(run=self.run, school_id=sid, **values))
        return rows

    def context(self) -> list[RunContext]:
        rows = []
        for r in _parquet_rows(self.out / "context.parquet"):
            if (sid := self.school(r["school_key"])) is not None:
                values = {c: _clean(r.get(c)) for c in _CONTEXT_COLUMNS}
                values["adverse_context"] = bool(values["adverse_context"])
                rows.append(RunContext(run=self.run, school_id=sid, **values))
        return rows

    def objectivity(self) -> list[RunObjectivity]:
        """Long form: one row per sign that has a value (or a marker) in the cell."""
        rows = []
        for r in _parquet_rows(self.out / "objectivity.parquet"):
            sid = self.school(r["school_key"])
            if sid is None:
                continue
            cell = {"procedure": r["procedure"], "subject": r["subject"], "grade": r["grade"],
                    "year": r["year"], "participants": r.get("participants")}
            for sign, (_, column, _) in OBJECTIVITY_SIGNS.items():
                fired = bool(r.get(f"{sign}_fired"))
                value, text = _clean(r.get(column)), ""
                if sign == "marker":
                    value, text = None, str(r.get("marker") or "")[:200]
                elif sign == "unconfirmed" and _clean(r.get("exam_gap_pct")) is not None:
                    text = f"(ОГЭ/ЕГЭ: {r['exam_gap_pct']:+.1f} п. п.)".replace(".", ",", 1)
                if value is None and not text and not fired:
                    continue
                rows.append(RunObjectivity(run=self.run, school_id=sid, sign=sign, value=value,
                                           text=text, fired=fired, **cell))
        return rows

    def pairs(self) -> list[RunPair]:
        rows = []
        for r in _csv_rows(self.out / "pairs.csv"):
            low, leader = self.school(r["low_school_key"]), self.school(r["leader_school_key"])
            if low is None or leader is None:
                continue
            rows.append(RunPair(run=self.run, low_school_id=low, leader_school_id=leader,
                                weak_subjects=r["weak_subjects"][:300],
                                context_distance=_number(r["context_distance"]),
                                leader_strength_pct=_number(r["leader_strength_pct"]),
                                distance_km=_number(r["distance_km"]), reason=r["reason"]))
        return rows


def load_outputs(run: AnalysisRun, out_dir: Path) -> dict[str, Any]:
    """Replace the run's stored results by the files in ``out_dir``; returns the row counts.

    All or nothing: a failure leaves the run's tables as they were.
    """
    loader = _Loader(run, out_dir)
    built: dict[str, list[Any]] = {"flags": loader.flags(), "school_stats": loader.stats(),
                                   "context": loader.context(),
                                   "objectivity": loader.objectivity(), "pairs": loader.pairs()}
    models = (RunFlag, RunSchoolStat, RunContext, RunObjectivity, RunPair)
    with transaction.atomic():
        for model in models:
            model.objects.filter(run=run).delete()
        for target, rows in zip(models, built.values(), strict=True):
            target._default_manager.bulk_create(rows, batch_size=BATCH)
    counts: dict[str, Any] = {name: len(rows) for name, rows in built.items()}
    if loader.missing:
        counts["unknown_schools"] = sorted(loader.missing)
    return counts
