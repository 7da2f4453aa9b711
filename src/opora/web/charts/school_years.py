"""(c) A school's results by year beside the region's, with the interval of the school's mean."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import altair as alt

from opora.web.charts.base import Rows, _filled, _finish, _number, as_rows


def school_years_data(stats: Rows) -> list[dict[str, Any]]:
    """Long rows (year, who, value, interval) from one school's ``school_stats`` of one cell.

    The school's interval is the region's mean plus the interval of the difference
    (``gap_low_pct``/``gap_high_pct``), so a bar that does not reach the region's line is a
    difference larger than its uncertainty — the same test the engine uses.
    """
    data = []
    for row in sorted(as_rows(stats), key=lambda r: r["year"]):
        region, mean = _number(row.get("region_mean_pct")), _number(row.get("mean_pct"))
        low, high = _number(row.get("gap_low_pct")), _number(row.get("gap_high_pct"))
        year = str(row["year"])
        interval: tuple[float | None, float | None] = (None, None)
        if region is not None and low is not None and high is not None:
            interval = (region + low, region + high)
        if mean is not None:
            data.append({"year": year, "who": "Школа", "value": mean,
                         "low": interval[0], "high": interval[1],
                         "participants": int(row.get("participants") or 0)})
        if region is not None:
            data.append({"year": year, "who": "Регион", "value": region,
                         "low": None, "high": None, "participants": None})
    return data


def _year_layers(base: alt.Chart, y_title: str = "Средний результат, % от максимума"
                 ) -> tuple[alt.Chart, alt.Chart]:
    """The interval bars and the school's and region's lines of a by-year chart."""
    x = alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0))
    colour = alt.Color("who:N", title="", scale=alt.Scale(
        domain=["Школа", "Регион"], range=["#2166ac", "#7f7f7f"]),
        legend=alt.Legend(orient="bottom"))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    lines = base.mark_line(point=True).encode(
        x=x, y=y, color=colour, strokeDash=alt.StrokeDash("who:N", title="", scale=alt.Scale(
            domain=["Школа", "Регион"], range=[[1, 0], [6, 4]])),
        tooltip=[
            alt.Tooltip("year:O", title="Год"), alt.Tooltip("who:N", title="Ряд"),
            alt.Tooltip("value:Q", title="Средний результат, %", format=".1f"),
            alt.Tooltip("low:Q", title="Интервал 95 %: от", format=".1f"),
            alt.Tooltip("high:Q", title="Интервал 95 %: до", format=".1f"),
            alt.Tooltip("participants:Q", title="Участников", format="d"),
        ],
    )
    bars = base.transform_filter("datum.low != null").mark_rule(
        color="#2166ac", strokeWidth=2).encode(x=x, y=alt.Y("low:Q"), y2="high:Q")
    return bars, lines


def school_works_chart(works: Sequence[tuple[str, Rows]], *, title: str, columns: int = 3,
                       width: int = 240, height: int = 170) -> dict[str, Any]:
    """Every work of a school by year, one small panel each, in one chart (a Vega-Lite facet).

    ``works`` is ``[(panel title, school_stats rows of that work)]`` in the order shown. The
    panels share the scales, so a school's works can be compared at a glance; each panel is
    :func:`school_years_data` of the work drawn by :func:`_year_layers`. One spec for the card
    instead of one per work: a school with 20 works had 20 specs of ~4 KB with the same
    structure.
    """
    rows = [{**row, "work": name} for name, stats in works for row in school_years_data(stats)]
    spec = _filled(_school_works_skeleton(width, height, columns), title, {"series": rows})
    spec["facet"]["sort"] = [name for name, _ in works]
    return spec


@lru_cache(maxsize=8)
def _school_works_skeleton(width: int, height: int, columns: int) -> dict[str, Any]:
    bars, lines = _year_layers(alt.Chart(), y_title="Результат, %")
    panel = alt.layer(bars, lines, data=alt.NamedData(name="series")).properties(
        width=width, height=height)
    chart = panel.facet(facet=alt.Facet("work:N", title=None, header=alt.Header(
        labelFontSize=12, labelLimit=width + 40, labelAnchor="start")), columns=columns
    ).resolve_axis(x="independent")  # every panel says its years
    return _finish(chart, title="", datasets={"series": []})
