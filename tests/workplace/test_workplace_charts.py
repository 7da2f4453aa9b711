"""Vega-Lite specs of the workplace charts: valid, faithful to the input rows, in Russian."""

from __future__ import annotations

import json
import math
import re
from statistics import NormalDist
from typing import Any

import altair as alt
import jsonschema
import pyarrow as pa
import pytest

from opora.web.charts import (
    CHART_DECIMALS,
    funnel_chart,
    school_works_chart,
    spec_json,
    typology_chart,
    typology_gap_points,
)

CYRILLIC = re.compile("[А-Яа-яЁё]")


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def _values(layer: dict[str, Any], spec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The layer's rows: inline, or from the spec's top-level ``datasets`` by name."""
    data = layer.get("data") or (spec or {}).get("data", {})
    if "values" in data:
        return data["values"]
    assert spec is not None, "named data needs the spec"
    return spec["datasets"][data["name"]]


def _strings(node: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, string) pair anywhere in the spec."""
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in _strings(v, k)]
    if isinstance(node, list):
        return [pair for v in node for pair in _strings(v, key)]
    return [(key, node)] if isinstance(node, str) else []


def _sample_specs() -> list[dict[str, Any]]:
    """The charts as the pages draw them (the overview's typology: y is the gap, rule at 0)."""
    points = typology_gap_points(
        [{"school_key": "a", "year": 2024, "context_index": 0.5, "result_gap_pct": -6.0}],
        [{"school_key": "a", "year": 2024, "flag": "low_results", "school_name": "Школа А"}],
        year=2024)
    funnel = funnel_chart([{"school_key": "a", "participants": 25, "gap_pct": -3.0,
                            "region_sd_pct": 18.0}], title="Воронка")
    works = school_works_chart(
        [("ВПР, математика, 5 класс", [{"year": 2023, "mean_pct": 50.0, "region_mean_pct": 52.0,
                                        "gap_low_pct": -5.0, "gap_high_pct": 1.0,
                                        "participants": 30},
                                       {"year": 2024, "mean_pct": 47.0, "region_mean_pct": 53.0,
                                        "participants": 28}])],
        title="По годам, все работы")
    typology = typology_chart(points, title="Типология", y_rule=0,
                              y_title="Разница с регионом, п. п.")
    return [typology, funnel, works]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["typology", "funnel", "works"])
def test_every_chart_is_valid_against_the_vega_lite_json_schema(index: int) -> None:
    spec = _sample_specs()[index]
    schema = alt.vegalite.v6.schema.load_schema()
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(spec))
    assert errors == []
    assert spec["$schema"].endswith(f"/v{alt.SCHEMA_VERSION.lstrip('v')}.json")
    named = {name for key, name in _strings(spec) if key == "name"} & {
        layer.get("data", {}).get("name") for layer in [spec, *_layers(spec.get("spec", spec))]}
    assert named and named <= set(spec["datasets"])


@pytest.mark.parametrize("index", [0, 1, 2], ids=["typology", "funnel", "works"])
def test_specs_load_nothing_from_outside_and_carry_the_russian_locale(index: int) -> None:
    spec = _sample_specs()[index]
    external = [(k, s) for k, s in _strings(spec) if "http" in s and k != "$schema"]
    assert external == []
    assert all("url" not in layer.get("data", {}) for layer in _layers(spec))
    number = spec["config"]["locale"]["number"]
    assert number["decimal"] == "," and number["thousands"] == "\u00a0"
    assert spec["config"]["locale"]["time"]["shortMonths"][0] == "янв"


@pytest.mark.parametrize("index", [0, 1, 2], ids=["typology", "funnel", "works"])
def test_titles_of_axes_legends_and_tooltips_are_russian(index: int) -> None:
    spec = _sample_specs()[index]
    titles = [s for k, s in _strings(spec) if k == "title" and s]
    assert titles, "no titles at all"
    assert [t for t in titles if not CYRILLIC.search(t)] == []


def test_typology_gap_point_is_the_school_context_index_against_its_result_gap() -> None:
    context = pa.table({
        "school_key": ["a", "b", "b", "c", "d", "e"],
        "year": [2024, 2024, 2023, 2024, 2024, 2024],
        "context_index": [1.25, -0.5, 9.0, 0.75, None, 2.0],
        "result_gap_pct": [-3.5, 4.0, -20.0, None, 7.0, float("nan")],
    })
    points = typology_gap_points(context, [], year=2024,
                                 names={"a": "СОШ № 1", "b": "Лицей", "c": "Гимназия"})
    spec = typology_chart(points, title="Типология", y_rule=0,
                          y_title="Разница с регионом, п. п.")
    plotted = {p["school_name"]: (p["context_index"], p["result_pct"])
               for p in _values(_layers(spec)[0], spec)}
    # a and b as given in 2024 (b's 2023 row is another year); c has no gap, d no index and
    # e's gap is NaN, so none of the three is a point.
    assert plotted == {"СОШ № 1": (1.25, -3.5), "Лицей": (-0.5, 4.0)}


def test_typology_colours_a_school_by_its_strongest_flag() -> None:
    flags = [("a", "low_results"), ("a", "adverse_context"), ("b", "non_objective"),
             ("b", "leader"), ("c", "adverse_context"), ("c", "resilient"),
             ("d", "persistently_low"), ("e", "risk_zone")]
    context = [{"school_key": k, "year": 2024, "context_index": i, "result_gap_pct": -i}
               for i, k in enumerate("abcdef")]
    points = typology_gap_points(
        context, [{"school_key": k, "year": 2024, "flag": f} for k, f in flags], year=2024)
    labels = {p["school_key"]: p["category_label"] for p in points}
    assert labels == {"a": "ШНОР и ШНСУ", "b": "Признаки необъективности", "c": "Резильентная",
                      "d": "ШНОР", "e": "Без отметок", "f": "Без отметок"}
    assert {p["school_key"]: p["flags_text"] for p in points}["a"] == "ШНОР, ШНСУ"


def test_typology_quadrant_lines_default_to_the_medians_of_the_points() -> None:
    context = [{"school_key": k, "year": 2024, "context_index": x, "result_gap_pct": y}
               for k, x, y in (("a", -1.0, 40.0), ("b", 0.2, 70.0), ("c", 3.0, 50.0))]
    spec = typology_chart(typology_gap_points(context, [], year=2024), title="Типология")
    rules = {channel: _values(layer, spec)[0]["value"] for layer in _layers(spec)[1:]
             for channel in ("x", "y") if channel in layer["encoding"]}
    assert rules == {"x": 0.2, "y": 50.0}


#: chart data are rounded to CHART_DECIMALS places (web/charts/base.py); a limit drawn within half
#: of the last place is the same limit
ROUNDED = 0.5 * 10 ** -CHART_DECIMALS + 1e-12


def test_funnel_limits_are_z_times_regional_sd_over_root_n() -> None:
    sd, rows = 18.0, [{"school_key": "a", "participants": 25, "gap_pct": -8.0},
                      {"school_key": "b", "participants": 100, "gap_pct": 12.0},
                      {"school_key": "c", "participants": 36, "gap_pct": 1.0}]
    spec = funnel_chart(rows, sd=sd, title="Воронка")
    z95, z998 = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.999)
    points = {p["school_key"]: p for p in _values(_layers(spec)[3], spec)}
    assert points["a"]["limit_95"] == pytest.approx(z95 * 18 / 5, abs=ROUNDED)  # 7.06
    assert points["a"]["limit_998"] == pytest.approx(z998 * 18 / 5, abs=ROUNDED)  # 11.12
    assert points["b"]["limit_95"] == pytest.approx(z95 * 18 / 10, abs=ROUNDED)
    curve = _values(_layers(spec)[0], spec)
    assert curve[0]["n"] == pytest.approx(25) and curve[-1]["n"] == pytest.approx(100)
    for row in curve:
        # n itself is rounded too: a limit moves by less than another ROUNDED with it
        assert row["high_998"] == pytest.approx(z998 * sd / math.sqrt(row["n"]), abs=2 * ROUNDED)
        assert row["low_95"] == pytest.approx(-z95 * sd / math.sqrt(row["n"]), abs=2 * ROUNDED)
    # −8 at n = 25 lies between −7.06 and −11.12; +12 at n = 100 is beyond +5.56.
    assert {k: p["band_label"] for k, p in points.items()} == {
        "a": "Ниже границы 95 %", "b": "Выше границы 99,8 %", "c": "Внутри коридора 95 %"}


def test_funnel_takes_the_regional_sd_from_the_rows_of_one_cell() -> None:
    rows = [{"school_key": "a", "participants": 16, "gap_pct": -2.0, "region_sd_pct": 20.0}]
    spec = funnel_chart(rows, title="Воронка")
    points = _values(_layers(spec)[3], spec)
    assert points[0]["limit_95"] == pytest.approx(NormalDist().inv_cdf(0.975) * 20 / 4,
                                                  abs=ROUNDED)


def test_funnel_of_rows_from_two_cells_is_refused_with_a_russian_message() -> None:
    rows = [{"school_key": "a", "participants": 16, "gap_pct": -2.0, "region_sd_pct": 20.0},
            {"school_key": "b", "participants": 16, "gap_pct": -2.0, "region_sd_pct": 15.0}]
    with pytest.raises(ValueError, match="одной ячейке"):
        funnel_chart(rows, title="Воронка")


def test_school_by_year_shows_the_region_and_the_school_interval_around_its_mean() -> None:
    rows = [{"year": 2024, "mean_pct": 48.0, "region_mean_pct": 55.0, "gap_low_pct": -12.5,
             "gap_high_pct": -1.5, "participants": 27},
            {"year": 2023, "mean_pct": 51.0, "region_mean_pct": 54.0, "gap_low_pct": None,
             "gap_high_pct": None, "participants": 3}]
    spec = school_works_chart([("ВПР, математика, 5 класс", rows)], title="По годам")
    assert all("data" not in layer for layer in _layers(spec["spec"]))
    data = _values(spec, spec)  # shared by the interval bars and the lines
    assert {r["work"] for r in data} == {"ВПР, математика, 5 класс"}
    school = {r["year"]: (r["value"], r["low"], r["high"]) for r in data if r["who"] == "Школа"}
    region = {r["year"]: r["value"] for r in data if r["who"] == "Регион"}
    # 55 − 12.5 = 42.5 and 55 − 1.5 = 53.5; no interval where the engine gave none.
    assert school == {"2023": (51.0, None, None), "2024": (48.0, 42.5, 53.5)}
    assert region == {"2023": 54.0, "2024": 55.0}


def test_spec_json_cannot_close_the_script_element_it_is_put_in() -> None:
    spec = {"data": {"values": [{"school_name": "</script><script>alert(1)</script> & Co"}]}}
    text = str(spec_json(spec))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == spec


def test_all_works_of_a_school_are_panels_of_one_chart_in_the_order_given() -> None:
    def cell(mean: float, low: float | None) -> list[dict[str, Any]]:
        return [{"year": 2023, "mean_pct": mean, "region_mean_pct": 55.0, "gap_low_pct": low,
                 "gap_high_pct": None if low is None else low + 6.0, "participants": 20},
                {"year": 2024, "mean_pct": mean + 1.0, "region_mean_pct": 56.0,
                 "gap_low_pct": None, "gap_high_pct": None, "participants": 21}]

    spec = school_works_chart([("ОГЭ, математика, 9 класс", cell(40.0, -18.0)),
                               ("ВПР, русский язык, 4 класс", cell(60.0, None))], title="Все")
    assert spec["facet"]["field"] == "work" and spec["columns"] == 3
    assert spec["facet"]["sort"] == ["ОГЭ, математика, 9 класс", "ВПР, русский язык, 4 класс"]
    rows = spec["datasets"]["series"]
    school = {(r["work"], r["year"]): (r["value"], r["low"], r["high"])
              for r in rows if r["who"] == "Школа"}
    # the interval is the region's mean plus the gap's interval: 55 − 18 = 37, 37 + 6 = 43
    assert school[("ОГЭ, математика, 9 класс", "2023")] == (40.0, 37.0, 43.0)
    assert school[("ВПР, русский язык, 4 класс", "2024")] == (61.0, None, None)
    assert len(rows) == 8  # 2 works × 2 years × (school, region)
