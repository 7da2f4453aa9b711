"""The engine's outputs into the ``Run*`` tables (one transaction per run).

Takes the tables :func:`opora.engine.analyze_tables` returns in memory — the schemas of
:data:`opora.schemas.OUTPUTS` — with no file in between. What a ``Run*`` model stores is decided
by the schema and the model together: every declared column the model has a field for
(:func:`stored_columns`), so no column list is restated here and a test checks that every stored
field is a declared column. School keys become registry foreign keys; a key the registry lacks
(which cannot happen for tables exported from the same database) is counted, never guessed.
``objectivity`` is stored long: one row per sign (:data:`opora.glossary.SIGNS`) with a value,
a marker or a fired flag. Rows are built as Arrow columns (no Python object per row or value)
and inserted in bulk — CSV written by Arrow into COPY on PostgreSQL: a region's 170 000 rows took
two minutes through ``bulk_create``, and a country's 5 million rows a minute of Python building
and sending them value by value (``docs/benchmarks.md``, «Расчёт страны в PostgreSQL»).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import models, transaction

from opora.glossary import SIGNS
from opora.numbers import percent_points
from opora.schemas import OUTPUTS, Table
from opora.web.analysis.models import (
    AnalysisRun,
    RunContext,
    RunFlag,
    RunObjectivity,
    RunPair,
    RunSchoolStat,
)
from opora.web.imports.loading import insert_table
from opora.web.schools.models import School

#: output table → the model storing it, one row per row (objectivity is stored long, see above)
MODELS: dict[str, type[models.Model]] = {
    "flags": RunFlag, "school_stats": RunSchoolStat, "context": RunContext, "pairs": RunPair}


def stored_columns(model: type[models.Model], spec: Table) -> list[str]:
    """The columns of ``spec`` that ``model`` has a field of the same name for, in ``spec``'s order."""
    fields = {f.name for f in model._meta.concrete_fields}
    return [c.name for c in spec.columns if c.name in fields]


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field), name  # a column, not a reverse relation
    return found


def _finite(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """NaN and infinities → null (the database has no NaN in a nullable number column)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_floating(array.type):
        return pc.if_else(pc.is_finite(array), array, pa.scalar(None, array.type))
    return array


def _column_stored(field: models.Field[Any, Any], column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One output column as ``field`` stores it, all rows at once: NaN → null; null → the field's default where it may not be null; a text
    cut to the field's length."""
    array = _finite(column)
    if pa.types.is_string(array.type) and field.max_length:
        array = pc.utf8_slice_codeunits(array, 0, field.max_length)
    if not field.null and array.null_count:
        default = field.get_default()
        if default is not None:
            array = pc.fill_null(array, pa.scalar(default, array.type))
    return array


class _Loader:
    """Builds one run's rows as Arrow tables of the models' columns (no Python object per row
    or value); ``missing`` holds school keys the registry lacks."""

    def __init__(self, run: AnalysisRun, outputs: Mapping[str, pa.Table]) -> None:
        self.run, self.outputs = run, outputs
        registry = list(School.objects.values_list("key", "pk"))
        self.keys = pa.array([key for key, _ in registry], pa.string())
        self.ids = pa.array([pk for _, pk in registry], pa.int64())
        self.missing: set[str] = set()

    def schools(self, keys: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The registry ids of school ``keys`` (null where the registry lacks the key)."""
        keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
        keys = keys.cast(pa.string())
        found = pc.take(self.ids, pc.index_in(keys, value_set=self.keys))
        unknown = pc.and_(found.is_null(), keys.is_valid())
        if pc.any(unknown).as_py():
            self.missing.update(keys.filter(unknown).to_pylist())
        return found

    def _fields(self, name: str) -> dict[str, pa.Array]:
        model = MODELS[name]
        table = self.outputs[name]
        return {c: _column_stored(_field(model, c), table.column(c))
                for c in stored_columns(model, OUTPUTS[name])}

    def by_school(self, name: str) -> pa.Table:
        """Rows of an output keyed by ``school_key`` (flags, school_stats, context)."""
        school = self.schools(self.outputs[name].column("school_key"))
        return _kept(pa.table({"school_id": school, **self._fields(name)}), "school_id")

    def pairs(self) -> pa.Table:
        table = self.outputs["pairs"]
        low = self.schools(table.column("low_school_key"))
        leader = self.schools(table.column("leader_school_key"))
        return _kept(pa.table({"low_school_id": low, "leader_school_id": leader,
                               **self._fields("pairs")}), "low_school_id", "leader_school_id")

    def objectivity(self) -> pa.Table:
        """Long form: one row per sign that has a value (or a marker) in the cell, or fired;
        the rows of a cell together, its signs in :data:`opora.glossary.SIGNS`' order."""
        text_field = _field(RunObjectivity, "text")
        table = self.outputs["objectivity"]
        n = table.num_rows
        cell = {"school_id": self.schools(table.column("school_key")),
                **{c: table.column(c).combine_chunks()
                   for c in ("procedure", "subject", "grade", "year", "participants")}}
        known = cell["school_id"].is_valid()
        gaps = _finite(table.column("exam_gap_pct"))
        parts = []
        for rank, sign in enumerate(SIGNS):
            fired = pc.fill_null(table.column(f"{sign.code}_fired").combine_chunks(), False)
            if sign.code == "marker":
                value = pa.nulls(n, pa.float64())
                text = _column_stored(text_field, pc.fill_null(
                    table.column("marker").combine_chunks().cast(pa.string()), ""))
            else:
                value = _finite(table.column(sign.value_column)).cast(pa.float64())
                text = pa.repeat(pa.scalar("", pa.string()), n)
            if sign.code == "unconfirmed":
                written = gaps.is_valid()
                found = gaps.filter(written)
                distinct = pc.unique(found)  # a country's million gaps hold 200 000 values
                notes = pa.array([f"(ОГЭ/ЕГЭ: {percent_points(g)})" for g in distinct.to_pylist()],
                                 pa.string())
                text = pc.replace_with_mask(
                    text, written, pc.take(notes, pc.index_in(found, value_set=distinct)))
            keep = pc.and_(known, pc.or_(pc.or_(value.is_valid(), pc.not_equal(text, "")), fired))
            parts.append(pa.table({
                "row": pa.array(range(n), pa.int64()), "rank": pa.repeat(pa.scalar(rank, pa.int8()), n),
                **cell, "sign": pa.repeat(pa.scalar(sign.code, pa.string()), n),
                "value": value, "text": text, "fired": fired}).filter(keep))
        joined = pa.concat_tables(parts).sort_by([("row", "ascending"), ("rank", "ascending")])
        return joined.drop_columns(["row", "rank"])


def _kept(table: pa.Table, *links: str) -> pa.Table:
    """The rows whose ``links`` (school ids) are all known."""
    keep = table.column(links[0]).is_valid()
    for link in links[1:]:
        keep = pc.and_(keep, table.column(link).is_valid())
    return table if pc.all(keep).as_py() is not False else table.filter(keep)


def _insert(model: type[models.Model], run: AnalysisRun, table: pa.Table) -> int:
    """Insert the rows of ``table`` (columns named by attribute) for ``run`` in bulk (CSV written
    by Arrow into COPY on PostgreSQL, ``executemany`` elsewhere:
    :func:`opora.web.imports.loading.insert_table`); a field not given takes its default.
    Returns the number of rows."""
    count = table.num_rows
    if not count:
        return 0
    table = table.append_column("run_id", pa.repeat(pa.scalar(run.pk, pa.int64()), count))
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in table.column_names:
            continue
        table = table.append_column(f.attname, pa.array([f.get_default()] * count))
    insert_table(model, tuple(table.column_names), table)
    return count


def load_outputs(run: AnalysisRun, outputs: Mapping[str, pa.Table],
                 timings: dict[str, float] | None = None) -> dict[str, Any]:
    """Replace the run's stored results by ``outputs`` (:data:`opora.schemas.OUTPUTS` by name);
    returns the row counts. ``timings`` (if given) gets the seconds of building the rows
    (``build``), deleting the run's earlier rows (``delete``) and writing them (``write``).

    All or nothing: a failure leaves the run's tables as they were.
    """
    timings = {} if timings is None else timings
    start = time.perf_counter()
    loader = _Loader(run, outputs)
    built: dict[str, pa.Table] = {
        "flags": loader.by_school("flags"), "school_stats": loader.by_school("school_stats"),
        "context": loader.by_school("context"), "objectivity": loader.objectivity(),
        "pairs": loader.pairs()}
    targets = (RunFlag, RunSchoolStat, RunContext, RunObjectivity, RunPair)
    counts: dict[str, Any] = {}
    timings["build"] = time.perf_counter() - start
    with transaction.atomic():
        start = time.perf_counter()
        for model in targets:
            model.objects.filter(run=run).delete()
        timings["delete"] = time.perf_counter() - start
        start = time.perf_counter()
        for (name, rows), target in zip(built.items(), targets, strict=True):
            counts[name] = _insert(target, run, rows)
        timings["write"] = time.perf_counter() - start
    if loader.missing:
        counts["unknown_schools"] = sorted(loader.missing)
    return counts
