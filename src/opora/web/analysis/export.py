"""The normalised tables back out of the database, for the engine (which never reads the DB).

The inverse of :mod:`opora.web.imports.loading`: the same columns, types and units as
:mod:`opora.schemas`. Empty texts come back as nulls (the database stores «нет значения» in a
text column as an empty string). Scales and tasks are exported whole (they describe works, not
schools); reference values for the regions the schools belong to.
"""

from __future__ import annotations

import io
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
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


#: Tables read by ``COPY … TO STDOUT`` on PostgreSQL (:func:`_copied`): the big ones.
COPIED = frozenset({"results", "aggregates"})
#: Of those, the tables whose key is unique (a constraint of the database): sorted by DuckDB
#: (Arrow's ``sort_by`` of a region's results took ≈ 40 s on two busy cores, DuckDB ≈ 2 s);
#: with no ties the order is the same.
SORTED_BY_DUCKDB = frozenset({"results"})


def _copied(spec: Table, queryset: QuerySet[Any]) -> tuple[pa.Table, bool]:
    """The rows of ``queryset`` as an Arrow table in one ``COPY (SELECT …) TO STDOUT`` (CSV)
    parsed by Arrow: no Python object per row (2.1 M results of a region: ≈ 60 s through
    ``values_list``, a few seconds this way — bench/bench_web_run.py), and whether it is sorted
    by the key already.

    Empty texts and nulls both come back as nulls, as :func:`_table` does; a JSON list column
    (``task_scores``) is parsed by DuckDB's JSON cast into the list type of the schema.
    """
    mapping = _MAPS[spec.name]
    sql, params = queryset.values_list(*mapping.values()).query.sql_with_params()
    types = {c.name: c.type for c in spec.columns}
    lists = [n for n in mapping if pa.types.is_list(types[n])]
    column_types = {n: (pa.string() if n in lists else
                        pa.float64() if pa.types.is_floating(types[n]) else types[n])
                    for n in mapping}
    buffer = io.BytesIO()
    with connection.cursor() as wrapper, wrapper.cursor.copy(
            f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for block in copy:
            buffer.write(block)
    if not buffer.getbuffer().nbytes:  # no rows: Arrow refuses an empty CSV
        return pa.table({n: pa.array([], type=types[n]) for n in mapping}), False
    buffer.seek(0)
    table = pacsv.read_csv(
        buffer, read_options=pacsv.ReadOptions(column_names=list(mapping), block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=column_types, null_values=[""],
                                             strings_can_be_null=True,
                                             quoted_strings_can_be_null=True,
                                             true_values=["t"], false_values=["f"]))
    del buffer
    order = ([k for k in spec.key if k in mapping] if spec.name in SORTED_BY_DUCKDB else [])
    if not lists and not order:
        return table, False
    columns = ", ".join(  # '[1.0, 0.5]' → [1.0, 0.5]
        f'CAST(CAST("{n}" AS JSON) AS {_duck_list(types[n])}) AS "{n}"' if n in lists
        else f'"{n}"' for n in mapping)
    by = (" ORDER BY " + ", ".join(f'"{k}"' for k in order)) if order else ""
    with duckdb.connect() as duck:
        duck.register("copied", table)
        return duck.sql(f"SELECT {columns} FROM copied{by}").to_arrow_table(), bool(order)


def _duck_list(arrow: pa.DataType) -> str:
    assert isinstance(arrow, pa.ListType)
    return "DOUBLE[]" if pa.types.is_floating(arrow.value_type) else "BIGINT[]"


def _table(spec: Table, queryset: QuerySet[Any]) -> pa.Table:
    if spec.name in COPIED and connection.vendor == "postgresql":
        table, ordered = _copied(spec, queryset)
        return conform(table, spec) if ordered else _finish(spec, table)
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
    return _finish(spec, pa.table(arrays) if arrays else spec.empty())


def _finish(spec: Table, table: pa.Table) -> pa.Table:
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
