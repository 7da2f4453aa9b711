"""A tiny hand-built normalised data set for the web tests (every row count is visible here).

Territory: region «Тестовая область» with municipalities «Северный» (schools N1, N2) and
«Южный» (school S1). Rows, counted by hand:

- scales 1 (ВПР 2024, 4 класс, русский, max 38), tasks 3;
- results 5 (N1: 3 participants, one absent; N2: 2);
- aggregates 3 (ЕГЭ 2024 русский: N1, N2, S1);
- context 3 (one per school, 2023/24);
- markers 1 (N2 «4 РУ» 2024);
- reference 2 (region and «Северный», ЕГЭ 2024 русский).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from opora.schemas import TABLES, conform

REGION = "Тестовая область"
NORTH, SOUTH = "Северный", "Южный"
CELL = {"procedure": "VPR", "year": 2024, "grade": 4, "subject": "rus"}
EGE = {"procedure": "EGE", "year": 2024, "grade": 11, "subject": "rus"}


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    spec = TABLES[name]
    columns = {c.name: [r.get(c.name) for r in rows] for c in spec.columns}
    return conform(pa.table({k: pa.array(v, type=spec.schema.field(k).type)
                             for k, v in columns.items()}), spec)


def _school(key: str, number: int, municipality: str, login: str) -> dict[str, Any]:
    return {"school_key": key, "region": REGION, "municipality": municipality, "number": number,
            "short_name": f"СОШ № {number}", "full_name": f"МБОУ «Средняя школа № {number}»",
            "kind": "secondary", "microdistrict": "Центр", "fis_oko_login": login,
            "active_from": 2000}


def _result(school: str, code: str, scores: list[float] | None, mark: int | None) -> dict[str, Any]:
    return {"school_key": school, **CELL, "participant_code": code, "class_label": "4А",
            "sex": "ж", "variant": 1, "absent": scores is None,
            "primary_score": sum(scores) if scores else None, "mark": mark, "term_mark": mark,
            "task_scores": scores}


def dataset() -> dict[str, pa.Table]:
    """The data set described in the module docstring."""
    shares = {"share_parents_higher_ed": 30.0, "share_single_parent": 12.5, "share_low_income": 8.0,
              "share_ovz": 2.5}
    return {
        "schools": _table("schools", [_school("N1", 1, NORTH, "edu990001"),
                                      _school("N2", 2, NORTH, "edu990002"),
                                      _school("S1", 3, SOUTH, "edu990003")]),
        "scales": _table("scales", [{**CELL, "max_primary_score": 38, "boundary_3": 14,
                                     "boundary_4": 24, "boundary_5": 33}]),
        "tasks": _table("tasks", [{**CELL, "task_no": i, "task_label": str(i), "max_score": m}
                                  for i, m in ((1, 2), (2, 1), (3, 35))]),
        "results": _table("results", [
            _result("N1", "10001", [2, 1, 30], 5), _result("N1", "10002", [1, 0, 20], 3),
            _result("N1", "10003", None, None), _result("N2", "20001", [2, 1, 25], 4),
            _result("N2", "20002", [0, 0, 10], 2)]),
        "aggregates": _table("aggregates", [
            {"school_key": k, "school_name": f"СОШ № {n}", "municipality": m, **EGE,
             "participants": p, "below_threshold": b, "high_scorers": h, "top_scorers": 0,
             "mean_score": mean, "score_scale": "test"}
            for k, n, m, p, b, h, mean in (("N1", 1, NORTH, 20, 1, 3, 68.5),
                                           ("N2", 2, NORTH, 12, 2, 0, 55.25),
                                           ("S1", 3, SOUTH, 30, 0, 9, 74.0))]),
        "context": _table("context", [{"school_key": k, "year": 2023, "students": s, **shares,
                                       "teachers": 40, "teacher_vacancies": 2}
                                      for k, s in (("N1", 800), ("N2", 350), ("S1", 1000))]),
        "markers": _table("markers", [{"school_key": "N2", "school_name": "СОШ № 2", "year": 2024,
                                       "grade": 4, "subject": "rus", "marker": "4 РУ",
                                       "source": "список ФИОКО 2024"}]),
        "reference": _table("reference", [
            {"level": "region", "region": REGION, **EGE, "participants": 62,
             "below_threshold": 3, "mean_score": 68.0, "score_scale": "test"},
            {"level": "municipality", "region": REGION, "municipality": NORTH, **EGE,
             "participants": 32, "below_threshold": 3, "mean_score": 63.5,
             "score_scale": "test"}]),
    }


def write_dataset(tables: dict[str, pa.Table], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, directory / f"{name}.parquet")
    return directory


def with_row_changed(tables: dict[str, pa.Table], name: str, index: int,
                     **values: Any) -> dict[str, pa.Table]:
    """A copy of ``tables`` where one row of one table has other values (to make a bad row)."""
    rows = tables[name].to_pylist()
    rows[index].update(values)
    return {**tables, name: _table(name, rows)}


def without(tables: dict[str, pa.Table], *names: str) -> dict[str, pa.Table]:
    return {k: v for k, v in tables.items() if k not in names}
