"""(b) The funnel plot: each school's gap to the region against its number of participants, with
the control limits of a school that differs from the region by chance only."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import altair as alt

from opora.web.charts.base import Rows, _colour_scale, _filled, _finish, _number, as_rows

#: Normal quantiles of the funnel plot's control limits: two-sided 95 % and 99.8 %
#: (Spiegelhalter, «Funnel plots for comparing institutional performance», Stat. Med. 2005).
Z_95 = 1.959963984540054
Z_998 = 3.090232306167813
FUNNEL_BANDS: tuple[tuple[str, str, str], ...] = (
    ("below_998", "Ниже границы 99,8 %", "#b2182b"),
    ("below_95", "Ниже границы 95 %", "#ef8a62"),
    ("inside", "Внутри коридора 95 %", "#9e9e9e"),
    ("above_95", "Выше границы 95 %", "#67a9cf"),
    ("above_998", "Выше границы 99,8 %", "#2166ac"),
)





def funnel_limit(sd: float, n: float, z: float) -> float:
    """Half-width of the control limit for a mean of ``n`` results: ``z · SD / √n``."""
    return z * sd / math.sqrt(n)


def funnel_band(gap: float, n: float, sd: float) -> str:
    """Where a school's gap lies against the 95 % and 99.8 % limits at its size."""
    if gap < -funnel_limit(sd, n, Z_998):
        return "below_998"
    if gap < -funnel_limit(sd, n, Z_95):
        return "below_95"
    if gap > funnel_limit(sd, n, Z_998):
        return "above_998"
    if gap > funnel_limit(sd, n, Z_95):
        return "above_95"
    return "inside"


def regional_sd(rows: list[dict[str, Any]]) -> float:
    """The one regional SD of the cell the rows belong to (``region_sd_pct``)."""
    values = {round(v, 9) for r in rows if (v := _number(r.get("region_sd_pct"))) is not None}
    if len(values) != 1:
        raise ValueError("Воронку строят по одной ячейке (процедура, предмет, класс, год) с "
                         "известным стандартным отклонением по региону; здесь их "
                         f"{len(values)}.")
    return values.pop()


def funnel_points(stats: Rows, *, sd: float,
                  names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One point per ``school_stats`` row with participants and a gap, with its band."""
    labels = {code: label for code, label, _ in FUNNEL_BANDS}
    points = []
    for row in as_rows(stats):
        n, gap = _number(row.get("participants")), _number(row.get("gap_pct"))
        if not n or gap is None:
            continue
        band = funnel_band(gap, n, sd)
        points.append({
            "school_key": row["school_key"],
            "school_name": (names or {}).get(row["school_key"]) or row.get("school_name")
            or row["school_key"],
            "participants": int(n), "gap_pct": gap, "band": band, "band_label": labels[band],
            "limit_95": _number(funnel_limit(sd, n, Z_95)),
            "limit_998": _number(funnel_limit(sd, n, Z_998)),
        })
    return points


def funnel_curve(sd: float, n_min: float, n_max: float,
                 steps: int = 60) -> list[dict[str, float | None]]:
    """The control limits on a geometric grid of sizes from ``n_min`` to ``n_max`` (rounded
    to ``CHART_DECIMALS``, as all chart data)."""
    n_min = max(n_min, 1.0)
    ratio = (n_max / n_min) ** (1 / (steps - 1)) if n_max > n_min else 1.0
    curve = []
    for i in range(steps):
        n = n_min * ratio**i
        l95, l998 = funnel_limit(sd, n, Z_95), funnel_limit(sd, n, Z_998)
        curve.append({"n": _number(n), "low_95": _number(-l95), "high_95": _number(l95),
                      "low_998": _number(-l998), "high_998": _number(l998)})
    return curve


def funnel_chart(stats: Rows, *, title: str, sd: float | None = None,
                 names: Mapping[str, str] | None = None,
                 width: int = 560, height: int = 400) -> dict[str, Any]:
    """Funnel plot of one cell: participants (x) against the gap to the region (y, p. p.).

    The limits are ``±z·SD/√n`` around zero with the regional SD of the cell (``sd``, or the
    rows' ``region_sd_pct``), z for 95 % and 99.8 %; schools outside are coloured by side.
    """
    rows = as_rows(stats)
    sd = regional_sd(rows) if sd is None else sd
    points = funnel_points(rows, sd=sd, names=names)
    sizes = [p["participants"] for p in points] or [1]
    limits = funnel_curve(sd, min(sizes), max(sizes))
    return _filled(_funnel_skeleton(width, height), title, {"limits": limits, "points": points})


@lru_cache(maxsize=8)
def _funnel_skeleton(width: int, height: int) -> dict[str, Any]:
    curve = alt.Chart(alt.NamedData(name="limits"))
    x = alt.X("n:Q", title="Число участников", scale=alt.Scale(zero=False))
    outer = curve.mark_area(color="#d9e6f2", opacity=0.6).encode(
        x=x, y=alt.Y("low_998:Q"), y2="high_998:Q")
    inner = curve.mark_area(color="#b3cde3", opacity=0.7).encode(
        x=x, y=alt.Y("low_95:Q"), y2="high_95:Q")
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#444444").encode(
        y="zero:Q")
    dots = alt.Chart(alt.NamedData(name="points")).mark_circle(size=70, opacity=0.9).encode(
        x=alt.X("participants:Q", title="Число участников"),
        y=alt.Y("gap_pct:Q", title="Разница со средним по региону, п. п."),
        color=alt.Color("band_label:N", title="Положение", scale=_colour_scale(FUNNEL_BANDS),
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=[
            alt.Tooltip("school_name:N", title="Школа"),
            alt.Tooltip("participants:Q", title="Участников", format="d"),
            alt.Tooltip("gap_pct:Q", title="Разница с регионом, п. п.", format="+.1f"),
            alt.Tooltip("limit_95:Q", title="Граница 95 %, ± п. п.", format=".1f"),
            alt.Tooltip("limit_998:Q", title="Граница 99,8 %, ± п. п.", format=".1f"),
            alt.Tooltip("band_label:N", title="Положение"),
        ],
    )
    layered = alt.layer(outer, inner, zero, dots).properties(width=width, height=height)
    return _finish(layered, title="", datasets={})
