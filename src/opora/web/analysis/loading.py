"""The engine's outputs into the ``Run*`` tables (one transaction per run).

Takes the tables :func:`opora.engine.analyze_tables` returns in memory — the schemas of
:data:`opora.schemas.OUTPUTS` — with no file in between. What a ``Run*`` model stores is decided
by the schema and the model together: every declared column the model has a field for
(:func:`stored_columns`), so no column list is restated here and a test checks that every stored
field is a declared column. School keys become registry foreign keys; a key the registry lacks
(which cannot happen for tables exported from the same database) is counted, never guessed.
``objectivity`` is stored long: one row per sign (:data:`opora.glossary.SIGNS`) with a value,
a marker or a fired flag. Rows are built as columns and inserted in bulk (COPY on PostgreSQL),
never as model objects: a region's 170 000 rows took two minutes through ``bulk_create``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
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
from opora.web.imports.loading import insert_rows
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


def _finite(value: Any) -> Any:
    """NaN → None (the database has no NaN in a nullable number column)."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _stored(field: models.Field[Any, Any], value: Any) -> Any:
    """A value as the field stores it: NaN → none; none → the field's default where it may not
    be null (an empty text, ``False``); a text cut to the field's length."""
    value = _finite(value)
    if value is None and not field.null:
        return field.get_default()
    if isinstance(value, str) and field.max_length:
        return value[:field.max_length]
    return value


Columns = dict[str, list[Any]]


def _values(field: models.Field[Any, Any], values: list[Any]) -> list[Any]:
    """One column as ``field`` stores it (:func:`_stored` on each value)."""
    return [_stored(field, value) for value in values]


class _Loader:
    """Builds the columns of one run's rows (no model object per row); ``missing`` holds school
    keys the registry lacks."""

    def __init__(self, run: AnalysisRun, outputs: Mapping[str, pa.Table]) -> None:
        self.run, self.outputs = run, outputs
        self.ids = dict(School.objects.values_list("key", "pk"))
        self.missing: set[str] = set()

    def schools(self, keys: list[str]) -> list[int | None]:
        ids = self.ids
        found = [ids.get(key) for key in keys]
        self.missing.update(k for k, i in zip(keys, found, strict=True) if i is None)
        return found

    def _fields(self, name: str) -> Columns:
        model = MODELS[name]
        table = self.outputs[name]
        return {c: _values(_field(model, c), table.column(c).to_pylist())
                for c in stored_columns(model, OUTPUTS[name])}

    def by_school(self, name: str) -> Columns:
        """Rows of an output keyed by ``school_key`` (flags, school_stats, context)."""
        school = self.schools(self.outputs[name].column("school_key").to_pylist())
        return _kept({"school_id": school, **self._fields(name)}, "school_id")

    def pairs(self) -> Columns:
        table = self.outputs["pairs"]
        low = self.schools(table.column("low_school_key").to_pylist())
        leader = self.schools(table.column("leader_school_key").to_pylist())
        return _kept({"low_school_id": low, "leader_school_id": leader,
                      **self._fields("pairs")}, "low_school_id", "leader_school_id")

    def objectivity(self) -> Columns:
        """Long form: one row per sign that has a value (or a marker) in the cell, or fired."""
        text_field = _field(RunObjectivity, "text")
        table = self.outputs["objectivity"]
        source = {c: table.column(c).to_pylist() for c in table.column_names}
        school = self.schools(source["school_key"])
        names = ("school_id", "procedure", "subject", "grade", "year", "participants", "sign",
                 "value", "text", "fired")
        built: Columns = {n: [] for n in names}
        out = [built[n] for n in names]
        cells = zip(school, source["procedure"], source["subject"], source["grade"],
                    source["year"], source["participants"], strict=True)
        gaps = source["exam_gap_pct"]
        signs = [(sign.code, source[f"{sign.code}_fired"],
                  source["marker"] if sign.code == "marker" else source[sign.value_column])
                 for sign in SIGNS]
        for i, cell in enumerate(cells):
            if cell[0] is None:
                continue
            for code, fired_column, values in signs:
                fired = bool(fired_column[i])
                if code == "marker":
                    value, text = None, _stored(text_field, values[i] or "")
                else:
                    value, text = _finite(values[i]), ""
                if code == "unconfirmed" and _finite(gaps[i]) is not None:
                    text = f"(ОГЭ/ЕГЭ: {percent_points(gaps[i])})"
                if value is None and not text and not fired:
                    continue
                for column, item in zip(out, (*cell, code, value, text, fired), strict=True):
                    column.append(item)
        return built


def _kept(columns: Columns, *links: str) -> Columns:
    """The rows whose ``links`` (school ids) are all known."""
    keep = [all(columns[link][i] is not None for link in links)
            for i in range(len(columns[links[0]]))]
    if all(keep):
        return columns
    return {n: [v for v, k in zip(values, keep, strict=True) if k] for n, values in columns.items()}


def _insert(model: type[models.Model], run: AnalysisRun, columns: Columns) -> int:
    """Insert the rows of ``columns`` (attribute names → values) for ``run`` in bulk (COPY on
    PostgreSQL, ``executemany`` elsewhere: :func:`opora.web.imports.loading.insert_rows`); a
    field not given takes its default. Returns the number of rows."""
    count = len(next(iter(columns.values()))) if columns else 0
    if not count:
        return 0
    given = {**columns, "run_id": [run.pk] * count}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in given:
            continue
        given[f.attname] = [f.get_default()] * count
    names = tuple(given)
    insert_rows(model, names, list(zip(*given.values(), strict=True)))
    return count


def load_outputs(run: AnalysisRun, outputs: Mapping[str, pa.Table]) -> dict[str, Any]:
    """Replace the run's stored results by ``outputs`` (:data:`opora.schemas.OUTPUTS` by name);
    returns the row counts.

    All or nothing: a failure leaves the run's tables as they were.
    """
    loader = _Loader(run, outputs)
    built: dict[str, Columns] = {
        "flags": loader.by_school("flags"), "school_stats": loader.by_school("school_stats"),
        "context": loader.by_school("context"), "objectivity": loader.objectivity(),
        "pairs": loader.pairs()}
    targets = (RunFlag, RunSchoolStat, RunContext, RunObjectivity, RunPair)
    counts: dict[str, Any] = {}
    with transaction.atomic():
        for model in targets:
            model.objects.filter(run=run).delete()
        for (name, columns), target in zip(built.items(), targets, strict=True):
            counts[name] = _insert(target, run, columns)
    if loader.missing:
        counts["unknown_schools"] = sorted(loader.missing)
    return counts
