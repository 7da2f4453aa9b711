"""The normalised tables back out of the database, for the engine (which never reads the DB).

The inverse of :mod:`opora.web.imports.loading`: the same columns, types and units as
:mod:`opora.schemas`. Empty texts come back as nulls (the database stores «нет значения» in a
text column as an empty string). Scales and tasks are exported whole (they describe works, not
schools); reference values for the regions the schools belong to.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from django.db.models import QuerySet

from opora.schemas import TABLES, Table, conform
from opora.web.assessment.models import (
    AssessmentScale,
    ObjectivityMarker,
    ReferenceValue,
    SchoolAggregate,
    StudentResult,
    Task,
)
from opora.web.context.models import ContextPassport
from opora.web.schools.models import School

_CELL = {"procedure": "procedure__code", "year": "year", "grade": "grade",
         "subject": "subject__code"}


def _same(*names: str) -> dict[str, str]:
    return {n: n for n in names}


_MAPS: dict[str, dict[str, str]] = {
    "schools": {"school_key": "key", "region": "municipality__region__name",
                "municipality": "municipality__name",
                **_same("number", "short_name", "full_name", "kind", "microdistrict", "address",
                        "latitude", "longitude", "fis_oko_login", "active_from", "active_to")},
    "scales": {**_CELL, **_same("max_primary_score", "boundary_3", "boundary_4", "boundary_5",
                                "min_threshold", "threshold_scale")},
    "tasks": {**{k: f"scale__{v}" for k, v in _CELL.items()}, "task_no": "task_no",
              "task_label": "label", "max_score": "max_score", "level": "level"},
    "results": {"school_key": "school__key", **_CELL,
                **_same("participant_code", "class_label", "sex", "variant", "absent",
                        "primary_score", "mark", "test_score", "term_mark", "task_scores",
                        "source")},
    "aggregates": {"school_key": "school__key", "school_name": "school_name",
                   "municipality": "municipality_name", **_CELL,
                   **_same("participants", "mark_2", "mark_3", "mark_4", "mark_5",
                           "below_threshold", "high_scorers", "top_scorers", "mean_score",
                           "score_scale", "source")},
    "reference": {"level": "level", "region": "region__name",
                  "municipality": "municipality__name", **_CELL,
                  **_same("participants", "below_threshold", "high_scorers", "top_scorers",
                          "mark_2", "mean_score", "score_scale", "source")},
    "context": {"school_key": "school__key",
                **{c.name: c.name for c in TABLES["context"].columns if c.name != "school_key"}},
    "markers": {"school_key": "school__key", "school_name": "school_name", "year": "year",
                "grade": "grade", "subject": "subject__code", "marker": "marker",
                "source": "source"},
}


def _table(spec: Table, queryset: QuerySet[Any]) -> pa.Table:
    mapping = _MAPS[spec.name]
    values = list(queryset.values_list(*mapping.values()))
    columns: dict[str, list[Any]] = {name: [] for name in mapping}
    for row in values:
        for name, value in zip(mapping, row, strict=True):
            columns[name].append(None if value == "" else value)
    arrays = {}
    for column in spec.columns:
        if column.name in columns:
            arrays[column.name] = pa.array(columns[column.name], type=column.type)
    table = pa.table(arrays) if arrays else spec.empty()
    table = conform(table, spec)
    order = [(k, "ascending") for k in spec.key if k in table.column_names]
    return table.sort_by(order)


def export_tables(*, schools_qs: QuerySet[School]) -> dict[str, pa.Table]:
    """Every normalised table for the given schools (the engine's input)."""
    school_ids = schools_qs.values("pk")
    regions = schools_qs.values("municipality__region")
    querysets: dict[str, QuerySet[Any]] = {
        "schools": School.objects.filter(pk__in=school_ids),
        "scales": AssessmentScale.objects.all(),
        "tasks": Task.objects.all(),
        "results": StudentResult.objects.filter(school__in=school_ids),
        "aggregates": SchoolAggregate.objects.filter(school__in=school_ids),
        "reference": ReferenceValue.objects.filter(region__in=regions),
        "context": ContextPassport.objects.filter(school__in=school_ids),
        "markers": ObjectivityMarker.objects.filter(school__in=school_ids),
    }
    return {name: _table(TABLES[name], qs.order_by()) for name, qs in querysets.items()}
