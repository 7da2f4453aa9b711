"""(c) A school's results by year beside the region's, with the interval of the school's mean.

The scale is the scale of the result: 0–100 % of the maximum (issue 13: one two-participant
interval from −200 % to 300 % stretched a card's axis over all its panels). An interval reaching
past an end of the scale is drawn up to that end, which gets an arrowhead: «continues beyond».
A cell the engine found too small to compare (``status`` «too_few») gets no interval at all —
the words «мало участников» stand by its point instead of a whisker across the panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import altair as alt

from opora.web.charts.base import Rows, _filled, _finish, _number, as_rows

#: The scale of a result in % of the maximum.
SCALE = (0.0, 100.0)
FEW = "мало участников"
TOO_FEW = "too_few"  # school_stats.status: fewer participants than the rules compare


def school_years_data(stats: Rows) -> list[dict[str, Any]]:
    """Long rows (year, who, value, interval) from one school's ``school_stats`` of one cell.

    The school's interval is the region's mean plus the interval of the difference
    (``gap_low_pct``/``gap_high_pct``), so a bar that does not reach the region's line is a
    difference larger than its uncertainty — the same test the engine uses. The interval is
    clipped to :data:`SCALE` (``low_open``/``high_open`` say which end was cut); a cell with
    too few participants has none and its ``note`` says «мало участников».
    """
    data = []
    for row in sorted(as_rows(stats), key=lambda r: r["year"]):
        region, mean = _number(row.get("region_mean_pct")), _number(row.get("mean_pct"))
        low, high = _number(row.get("gap_low_pct")), _number(row.get("gap_high_pct"))
        year, few = str(row["year"]), row.get("status") == TOO_FEW
        interval: tuple[float | None, float | None] = (None, None)
        if region is not None and low is not None and high is not None and not few:
            interval = (region + low, region + high)
        if mean is not None:
            data.append({"year": year, "who": "Школа", "value": mean,
                         **_clipped(*interval), "note": FEW if few else "",
                         "participants": int(row.get("participants") or 0)})
        if region is not None:
            data.append({"year": year, "who": "Регион", "value": region, **_clipped(None, None),
                         "note": "", "participants": None})
    return data


def _clipped(low: float | None, high: float | None) -> dict[str, Any]:
    """An interval cut to the scale, with which of its ends were cut."""
    if low is None or high is None:
        return {"low": None, "high": None, "low_open": False, "high_open": False}
    bottom, top = SCALE
    return {"low": min(max(low, bottom), top), "high": max(min(high, top), bottom),
            "low_open": low < bottom, "high_open": high > top}


def _year_layers(base: alt.Chart, y_title: str = "Средний результат, % от максимума"
                 ) -> tuple[Any, Any]:
    """The interval bars (with arrowheads at clipped ends and the «мало участников» notes) and
    the school's and region's lines of a by-year chart."""
    x = alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0))
    colour = alt.Color("who:N", title="", scale=alt.Scale(
        domain=["Школа", "Регион"], range=["#2166ac", "#7f7f7f"]),
        legend=alt.Legend(orient="bottom"))
    scale = alt.Scale(domain=list(SCALE), clamp=True, nice=False)
    y = alt.Y("value:Q", title=y_title, scale=scale)
    lines = base.mark_line(point=True).encode(
        x=x, y=y, color=colour, strokeDash=alt.StrokeDash("who:N", title="", scale=alt.Scale(
            domain=["Школа", "Регион"], range=[[1, 0], [6, 4]])),
        tooltip=[
            alt.Tooltip("year:O", title="Год"), alt.Tooltip("who:N", title="Ряд"),
            alt.Tooltip("value:Q", title="Средний результат, %", format=".1f"),
            alt.Tooltip("low:Q", title="Интервал 95 %: от", format=".1f"),
            alt.Tooltip("high:Q", title="Интервал 95 %: до", format=".1f"),
            alt.Tooltip("participants:Q", title="Участников", format="d"),
            alt.Tooltip("note:N", title="Примечание"),
        ],
    )
    bars = base.transform_filter("datum.low != null").mark_rule(
        color="#2166ac", strokeWidth=2).encode(x=x, y=alt.Y("low:Q", scale=scale), y2="high:Q")
    below = base.transform_filter("datum.low_open").mark_point(
        shape="triangle-down", filled=True, size=45, color="#2166ac").encode(
        x=x, y=alt.Y("low:Q", scale=scale))
    above = base.transform_filter("datum.high_open").mark_point(
        shape="triangle-up", filled=True, size=45, color="#2166ac").encode(
        x=x, y=alt.Y("high:Q", scale=scale))
    few = base.transform_filter("datum.note != ''").mark_text(
        dy=-11, fontSize=10, color="#5b6474").encode(
        x=x, y=alt.Y("value:Q", scale=scale), text="note:N")
    return alt.layer(bars, below, above, few), lines


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
