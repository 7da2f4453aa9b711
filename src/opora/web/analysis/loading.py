"""The engine's outputs into the ``Run*`` tables (one transaction per run).

Takes the tables :func:`opora.engine.analyze_tables` returns in memory — the schemas of
:data:`opora.schemas.OUTPUTS` — with no file in between. What a ``Run*`` model stores is decided
by the schema and the model together: every declared column the model has a field for
(:func:`stored_columns`), so no column list is restated here and a test checks that every stored
field is a declared column. School keys become registry foreign keys; a key the registry lacks
(which cannot happen for tables exported from the same database) is counted, never guessed.
``objectivity`` is stored long: one row per sign (:data:`opora.glossary.SIGNS`) with a value,
a marker or a fired flag.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
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
from opora.web.schools.models import School

BATCH = 2000
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


class _Loader:
    """Builds the rows of one run; ``missing`` holds school keys the registry lacks."""

    def __init__(self, run: AnalysisRun, outputs: Mapping[str, pa.Table]) -> None:
        self.run, self.outputs = run, outputs
        self.ids = dict(School.objects.values_list("key", "pk"))
        self.missing: set[str] = set()

    def school(self, key: str) -> int | None:
        found = self.ids.get(key)
        if found is None:
            self.missing.add(key)
        return found

    def rows(self, name: str, *keys: str) -> Iterator[tuple[list[Any], dict[str, Any]]]:
        """Per row of output ``name``: the values of ``keys``, and the model's fields as stored."""
        model = MODELS[name]
        fields = [_field(model, c) for c in stored_columns(model, OUTPUTS[name])]
        table = self.outputs[name].select([*keys, *(f.name for f in fields)])
        for row in table.to_pylist():
            yield ([row[k] for k in keys],
                   {f.name: _stored(f, row[f.name]) for f in fields})

    def by_school(self, name: str) -> list[models.Model]:
        """Rows of an output keyed by ``school_key`` (flags, school_stats, context)."""
        model = MODELS[name]
        built = []
        for (key,), values in self.rows(name, "school_key"):
            if (sid := self.school(key)) is not None:
                built.append(model(run=self.run, school_id=sid, **values))
        return built

    def pairs(self) -> list[models.Model]:
        built: list[models.Model] = []
        for (low_key, leader_key), values in self.rows("pairs", "low_school_key",
                                                        "leader_school_key"):
            low, leader = self.school(low_key), self.school(leader_key)
            if low is not None and leader is not None:
                built.append(RunPair(run=self.run, low_school_id=low, leader_school_id=leader,
                                     **values))
        return built

    def objectivity(self) -> list[models.Model]:
        """Long form: one row per sign that has a value (or a marker) in the cell, or fired."""
        text_field = _field(RunObjectivity, "text")
        built: list[models.Model] = []
        for r in self.outputs["objectivity"].to_pylist():
            sid = self.school(r["school_key"])
            if sid is None:
                continue
            cell = {"procedure": r["procedure"], "subject": r["subject"], "grade": r["grade"],
                    "year": r["year"], "participants": r["participants"]}
            for sign in SIGNS:
                fired = bool(r[f"{sign.code}_fired"])
                if sign.code == "marker":
                    value, text = None, _stored(text_field, r["marker"] or "")
                else:
                    value, text = _finite(r[sign.value_column]), ""
                if sign.code == "unconfirmed" and _finite(r["exam_gap_pct"]) is not None:
                    text = f"(ОГЭ/ЕГЭ: {percent_points(r['exam_gap_pct'])})"
                if value is None and not text and not fired:
                    continue
                built.append(RunObjectivity(run=self.run, school_id=sid, sign=sign.code,
                                            value=value, text=text, fired=fired, **cell))
        return built


def load_outputs(run: AnalysisRun, outputs: Mapping[str, pa.Table]) -> dict[str, Any]:
    """Replace the run's stored results by ``outputs`` (:data:`opora.schemas.OUTPUTS` by name);
    returns the row counts.

    All or nothing: a failure leaves the run's tables as they were.
    """
    loader = _Loader(run, outputs)
    built: dict[str, list[models.Model]] = {
        "flags": loader.by_school("flags"), "school_stats": loader.by_school("school_stats"),
        "context": loader.by_school("context"), "objectivity": loader.objectivity(),
        "pairs": loader.pairs()}
    targets = (RunFlag, RunSchoolStat, RunContext, RunObjectivity, RunPair)
    with transaction.atomic():
        for model in targets:
            model.objects.filter(run=run).delete()
        for target, rows in zip(targets, built.values(), strict=True):
            target._default_manager.bulk_create(rows, batch_size=BATCH)
    counts: dict[str, Any] = {name: len(rows) for name, rows in built.items()}
    if loader.missing:
        counts["unknown_schools"] = sorted(loader.missing)
    return counts
