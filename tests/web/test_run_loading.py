"""Storing a run's outputs: the tables ``analyze_tables`` returns, into the ``Run*`` tables.

The outputs here are made by hand (conformed to the declared schemas), so every stored value can
be checked against the value given; the end-to-end run is in ``test_analysis_run.py``.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest
from web_data import dataset

from opora.glossary import SIGNS
from opora.schemas import OUTPUTS, conform
from opora.web.analysis.loading import MODELS, load_outputs, stored_columns
from opora.web.analysis.models import (
    AnalysisRun,
    RunContext,
    RunFlag,
    RunObjectivity,
    RunPair,
    RunSchoolStat,
)
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality, School

pytestmark = pytest.mark.django_db

CELL = {"procedure": "VPR", "subject": "rus", "grade": 4, "year": 2024}
KEYS = {"id", "run", "school", "low_school", "leader_school"}  # links, not engine columns


def _outputs(**rows: list[dict[str, Any]]) -> dict[str, pa.Table]:
    """Every output conformed to its declared schema; ``rows`` by output name, others empty."""
    return {name: conform(pa.Table.from_pylist(rows.get(name, [])) if rows.get(name)
                          else spec.empty(), spec) for name, spec in OUTPUTS.items()}


def _run() -> AnalysisRun:
    load_tables(tables=dataset())
    municipality = Municipality.objects.get(name="Северный")
    return AnalysisRun.objects.create(scope="municipality", region=municipality.region,
                                      municipality=municipality)


def test_every_field_a_run_table_stores_is_a_declared_output_column() -> None:
    for name, model in MODELS.items():
        fields = {f.name for f in model._meta.concrete_fields} - KEYS
        assert fields == set(stored_columns(model, OUTPUTS[name])), name
    columns = set(OUTPUTS["objectivity"].column_names)
    for sign in SIGNS:
        assert {sign.value_column, f"{sign.code}_fired"} <= columns, sign.code


def test_the_engines_numbers_and_texts_are_stored_as_they_are() -> None:
    run = _run()
    stat = {"school_key": "N1", **CELL, "level": "student", "participants": 17, "mean_pct": 61.25,
            "gap_pct": -3.5, "gap_low_pct": -9.75, "region_source": "вычислено", "status": "same"}
    outputs = _outputs(
        school_stats=[stat],
        flags=[{"school_key": "N2", "flag": "low_results", "year": 2024,
                "evidence": "=ниже региона: текст как есть, без апострофа"}],
        context=[{"school_key": "S1", "year": 2024, "context_year": 2023, "context_index": 0.5,
                  "quintile": 4, "adverse_context": True, "residual_pct": 2.125}],
        pairs=[{"low_school_key": "N2", "leader_school_key": "S1", "weak_subjects": "rus, math",
                "context_distance": 0.123, "distance_km": None, "reason": "похожий контекст"}])
    counts = load_outputs(run, outputs)
    assert counts == {"flags": 1, "school_stats": 1, "context": 1, "objectivity": 0, "pairs": 1}
    stored = RunSchoolStat.objects.values().get(run=run)
    assert {k: stored[k] for k in ("participants", "mean_pct", "gap_pct", "gap_low_pct",
                                   "region_source", "status")} == {
        "participants": 17, "mean_pct": 61.25, "gap_pct": -3.5, "gap_low_pct": -9.75,
        "region_source": "вычислено", "status": "same"}
    assert stored["region_source_kind"] == "" and stored["region_mean_pct"] is None
    flag = RunFlag.objects.get(run=run)
    assert (flag.school.key, flag.evidence) == ("N2", "=ниже региона: текст как есть, без апострофа")
    context = RunContext.objects.get(run=run)
    assert (context.quintile, context.adverse_context, context.residual_pct) == (4, True, 2.125)
    pair = RunPair.objects.get(run=run)
    assert (pair.low_school.key, pair.leader_school.key, pair.weak_subjects,
            pair.context_distance, pair.distance_km) == ("N2", "S1", "rus, math", 0.123, None)


def test_objectivity_is_stored_one_row_per_sign_with_a_value_a_marker_or_a_fire() -> None:
    run = _run()
    cell = {"school_key": "N1", **CELL, "participants": 25}
    quiet = {**cell, "school_key": "N2", "term_above_pct": math.nan}
    loud = {**cell, "term_above_pct": 44.5, "boundary_z": 1.5, "vpr_gap_pct": 12.0,
            "exam_gap_pct": -2.04, "marker": "4 РУ", "inversion_fired": True}
    load_outputs(run, _outputs(objectivity=[loud, quiet]))
    rows = {r.sign: r for r in RunObjectivity.objects.filter(run=run)}
    assert set(rows) == {"term", "boundary", "inversion", "unconfirmed", "marker"}
    assert {r.school.key for r in rows.values()} == {"N1"}  # NaN is no value: N2 stores nothing
    assert (rows["term"].value, rows["term"].fired) == (44.5, False)
    assert (rows["inversion"].value, rows["inversion"].fired) == (None, True)
    assert rows["unconfirmed"].text == "(ОГЭ/ЕГЭ: \u22122,0 п. п.)"  # the real minus, as pages
    assert (rows["marker"].value, rows["marker"].text) == (None, "4 РУ")


def test_a_school_the_registry_lacks_is_counted_not_stored() -> None:
    run = _run()
    counts = load_outputs(run, _outputs(flags=[
        {"school_key": "N1", "flag": "leader", "year": 2024, "evidence": "выше региона"},
        {"school_key": "X9", "flag": "leader", "year": 2024, "evidence": "выше региона"}]))
    assert counts["flags"] == 1 and counts["unknown_schools"] == ["X9"]
    assert list(RunFlag.objects.filter(run=run).values_list("school__key", flat=True)) == ["N1"]
    assert School.objects.filter(key="X9").count() == 0


def test_objectivity_rows_keep_the_cells_order_and_the_signs_order_within_a_cell() -> None:
    run = _run()
    first = {"school_key": "N2", **CELL, "participants": 25, "marker": "4 РУ",
             "term_above_pct": 30.0, "boundary_z": None, "cohort_fired": True}
    second = {"school_key": "N1", **CELL, "participants": 20, "boundary_z": 2.5,
              "term_above_pct": 10.0}
    load_outputs(run, _outputs(objectivity=[first, second]))
    stored = list(RunObjectivity.objects.filter(run=run).order_by("pk")
                  .values_list("school__key", "sign"))
    assert stored == [("N2", "term"), ("N2", "cohort"), ("N2", "marker"),
                      ("N1", "term"), ("N1", "boundary")]


def test_an_infinity_is_stored_as_no_value_and_a_text_is_cut_to_its_column() -> None:
    run = _run()
    stat = {"school_key": "N1", **CELL, "level": "student", "participants": 17,
            "mean_pct": math.inf, "gap_pct": -math.inf, "status": "с" * 40}
    load_outputs(run, _outputs(school_stats=[stat]))
    stored = RunSchoolStat.objects.values("mean_pct", "gap_pct", "status").get(run=run)
    assert stored == {"mean_pct": None, "gap_pct": None, "status": "с" * 32}
