"""A school's by-year chart stays on the scale of its result (issue 13).

A card's axis ran from −200 % to 300 % because one two-participant interval did. Results in %
of the maximum lie in 0–100: the scale is fixed there, an interval past an end is cut at it and
that end marked open, and a cell with too few participants («too_few») gets the words «мало
участников» instead of an interval. Expected values are worked out in the comments.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import jsonschema

from opora.web.charts import school_works_chart
from opora.web.charts.school_years import school_years_data

WIDE = {"year": 2024, "mean_pct": 45.0, "region_mean_pct": 60.0, "gap_low_pct": -260.0,
        "gap_high_pct": 240.0, "participants": 12, "status": "same"}  # 60−260=−200, 60+240=300
FEW = {"year": 2023, "mean_pct": 30.0, "region_mean_pct": 58.0, "gap_low_pct": -70.0,
       "gap_high_pct": 14.0, "participants": 2, "status": "too_few"}
NARROW = {"year": 2025, "mean_pct": 52.0, "region_mean_pct": 61.0, "gap_low_pct": -15.0,
          "gap_high_pct": -3.0, "participants": 40, "status": "low"}  # 46 … 58


def _school(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["year"]: r for r in school_years_data(rows) if r["who"] == "Школа"}


def test_an_interval_past_both_ends_is_cut_at_0_and_100_and_both_ends_marked_open() -> None:
    wide = _school([WIDE])["2024"]
    assert (wide["low"], wide["high"], wide["low_open"], wide["high_open"]) == (
        0.0, 100.0, True, True)


def test_an_interval_inside_the_scale_is_kept_and_not_marked() -> None:
    narrow = _school([NARROW])["2025"]
    assert (narrow["low"], narrow["high"], narrow["low_open"], narrow["high_open"]) == (
        46.0, 58.0, False, False)


def test_a_cell_with_too_few_participants_has_no_interval_but_says_so() -> None:
    few = _school([FEW])["2023"]
    assert (few["low"], few["high"], few["note"]) == (None, None, "мало участников")
    assert _school([NARROW])["2025"]["note"] == ""


def test_the_axis_is_fixed_to_0_100_percent_and_clamped() -> None:
    spec = school_works_chart([("ВПР, математика, 5 класс", [WIDE, FEW, NARROW])], title="Т")
    scales = [enc["y"]["scale"] for layer in _all_layers(spec["spec"])
              for enc in [layer.get("encoding", {})] if "y" in enc and "scale" in enc["y"]]
    assert scales and all(s["domain"] == [0.0, 100.0] and s["clamp"] for s in scales)


def test_the_chart_with_open_ends_and_notes_is_valid_vega_lite() -> None:
    spec = school_works_chart([("ВПР, математика, 5 класс", [WIDE, FEW, NARROW])], title="Т")
    schema = alt.vegalite.v6.schema.load_schema()
    assert list(jsonschema.Draft7Validator(schema).iter_errors(spec)) == []
    marks = [layer["mark"] for layer in _all_layers(spec["spec"]) if "mark" in layer]
    shapes = {m.get("shape") for m in marks if isinstance(m, dict)}
    assert {"triangle-up", "triangle-down"} <= shapes
    assert any(isinstance(m, dict) and m["type"] == "text" for m in marks)


def _all_layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = [spec]
    for layer in spec.get("layer", []):
        found += _all_layers(layer)
    return found
