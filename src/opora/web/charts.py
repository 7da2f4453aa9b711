"""Vega-Lite chart specs for the workplace pages (issue 4), built with Vega-Altair.

Pure functions: rows of the engine's output tables (``context.parquet``, ``school_stats.parquet``,
``flags.csv`` — issue 3) in, a Vega-Lite spec (a JSON-ready ``dict``) out. The page puts the spec
into ``<script type="application/json" class="vega-spec">`` and ``static/opora/charts.js``
draws it with the vendored Vega-Embed; the same spec can go through vl-convert into a report.

Every spec is self-contained: data inline, Russian titles and tooltips, and the Russian number and
time locale in ``config.locale`` (decimal comma, no-break-space thousands), so nothing is fetched
at render time (the ``$schema`` string is kept for tools, but nothing loads it).
"""

from __future__ import annotations

import copy
import json
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeAlias

import altair as alt
import pyarrow as pa
from django.utils.safestring import SafeString, mark_safe

from opora.web.flag_labels import flag_label

Rows: TypeAlias = pa.Table | Iterable[Mapping[str, Any]]

#: d3-format's ru-RU locale (github.com/d3/d3-format/blob/main/locale/ru-RU.json).
RU_NUMBER_LOCALE: dict[str, Any] = {
    "decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"],
}
#: d3-time-format's ru-RU locale (github.com/d3/d3-time-format/blob/main/locale/ru-RU.json).
RU_TIME_LOCALE: dict[str, Any] = {
    "dateTime": "%A, %e %B %Y г. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
    "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    "months": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
               "сентября", "октября", "ноября", "декабря"],
    "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя",
                    "дек"],
}

#: Categories of the 2×2 typology, in the order a school is assigned to the first that fits:
#: signs of non-objectivity come first because such a school's numbers cannot be trusted and it
#: is never treated as a leader (issue 3, «Non-objectivity signs»).
TYPOLOGY_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("non_objective", "Признаки необъективности", "#5c5c5c"),
    ("both", "ШНОР и ШНСУ", "#b2182b"),
    ("low_results", "ШНОР", "#ef6c00"),
    ("resilient", "Резильентная", "#1a9850"),
    ("adverse_context", "ШНСУ", "#7b3294"),
    ("leader", "Лидер", "#2166ac"),
    ("none", "Без отметок", "#b8b8b8"),
)
_LOW_FLAGS = frozenset({"low_results", "persistently_low"})

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


_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def spec_json(spec: dict[str, Any]) -> SafeString:
    """The spec as JSON safe to put inside ``<script type="application/json" class="vega-spec">``.

    ``<``, ``>`` and ``&`` are escaped as Django's ``json_script`` does, so a school name holding
    ``</script>`` cannot end the element (``json_script`` itself cannot add the class
    ``charts.js`` looks for).
    """
    text = json.dumps(spec, ensure_ascii=False)
    for char, escape in _SCRIPT_ESCAPES:  # str.replace: ~5× faster than str.translate on 1 MB
        text = text.replace(char, escape)
    return mark_safe(text)


def as_rows(data: Rows) -> list[dict[str, Any]]:
    """Rows as plain dicts, from an Arrow table or any iterable of mappings."""
    if isinstance(data, pa.Table):
        return data.to_pylist()
    return [dict(row) for row in data]


#: Decimal places kept in a chart's data: a point drawn a ten-thousandth of a unit off is the
#: same pixel, and the page is smaller (0.8460334243947312 → 0.846; the overview's two charts
#: of a 238-school town: 135 → ~110 KB).
CHART_DECIMALS = 4


def _number(value: Any) -> float | None:
    """A finite float rounded to ``CHART_DECIMALS``, or ``None`` for a missing value (None,
    NaN)."""
    if value is None:
        return None
    number = float(value)
    return round(number, CHART_DECIMALS) if math.isfinite(number) else None


def _finish(chart: alt.TopLevelMixin, *, title: str,
            datasets: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Russian locale and the common look; returns the Vega-Lite dict.

    The chart refers to its rows by name (``alt.NamedData``) and the rows are added to the
    top-level ``datasets`` after Altair has validated the structure: validating every row with
    the JSON schema cost ~0.5 s for 1,000 schools, too slow for a page. The tests validate the
    complete specs against the schema.
    """
    configured = chart.properties(title=title).configure(
        locale={"number": RU_NUMBER_LOCALE, "time": RU_TIME_LOCALE},
        font="DejaVu Sans, Arial, sans-serif",
    ).configure_axis(labelFontSize=12, titleFontSize=13).configure_legend(
        labelFontSize=12, titleFontSize=13, labelLimit=260,
    ).configure_title(fontSize=15, anchor="start")
    spec = configured.to_dict()
    spec["datasets"] = {name: rows for name, rows in datasets.items()}
    return spec


def _colour_scale(categories: tuple[tuple[str, str, str], ...]) -> alt.Scale:
    return alt.Scale(domain=[label for _, label, _ in categories],
                     range=[colour for _, _, colour in categories])


# --- (a) the 2×2 typology: context index against result -----------------------------------


def typology_category(flags: set[str]) -> str:
    """The one typology category of a school with these flags (see ``TYPOLOGY_CATEGORIES``)."""
    low, adverse = bool(flags & _LOW_FLAGS), "adverse_context" in flags
    if "non_objective" in flags:
        return "non_objective"
    if low and adverse:
        return "both"
    if low:
        return "low_results"
    for code in ("resilient", "adverse_context", "leader"):
        if code in flags:
            return code
    return "none"


def _weighted_results(stats: list[dict[str, Any]], year: int) -> dict[str, tuple[float, int]]:
    """Per school: participant-weighted mean of ``mean_pct`` over the given cells of the year."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in stats:
        n, mean = _number(row.get("participants")), _number(row.get("mean_pct"))
        if row.get("year") != year or not n or mean is None:
            continue
        sums[row["school_key"]][0] += mean * n
        sums[row["school_key"]][1] += n
    return {key: (total / n, int(n)) for key, (total, n) in sums.items()}


def _flags_of_year(flags: Rows, year: int) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Per school: the set of flag codes of ``year`` and the name ``flags.csv`` gives it."""
    school_flags: dict[str, set[str]] = defaultdict(set)
    flag_names: dict[str, str] = {}
    for row in as_rows(flags):
        if row.get("year") == year:
            school_flags[row["school_key"]].add(row["flag"])
            if row.get("school_name"):
                flag_names[row["school_key"]] = row["school_name"]
    return school_flags, flag_names


def _point(key: str, name: str, index: float, result: float, participants: int | None,
           flags: set[str]) -> dict[str, Any]:
    category = typology_category(flags)
    labels = {code: label for code, label, _ in TYPOLOGY_CATEGORIES}
    return {"school_key": key, "school_name": name, "context_index": index,
            "result_pct": result, "participants": participants, "category": category,
            "category_label": labels[category],
            "flags_text": ", ".join(sorted(flag_label(f) for f in flags)) or "—"}


def typology_gap_points(context: Rows, flags: Rows, *, year: int,
                        names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One point per school from ``context.parquet`` alone: index against the school's gap to
    the region (``result_gap_pct``, p. p., the value the engine's regression uses).

    Draw with ``typology_chart(..., y_rule=0, y_title="Разница с регионом, п. п.")``.
    """
    school_flags, flag_names = _flags_of_year(flags, year)
    points = []
    for row in as_rows(context):
        index, gap = _number(row.get("context_index")), _number(row.get("result_gap_pct"))
        if row.get("year") != year or index is None or gap is None:
            continue
        key = row["school_key"]
        name = (names or {}).get(key) or flag_names.get(key) or key
        points.append(_point(key, name, index, gap, None, school_flags[key]))
    return sorted(points, key=lambda p: (p["school_name"], p["school_key"]))


def typology_points(context: Rows, stats: Rows, flags: Rows, *, year: int,
                    names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Join the engine's tables into one point per school for ``typology_chart``.

    ``context``: ``school_key, year, context_index``; ``stats``: ``school_stats`` rows already
    narrowed by the page to the procedures/subjects shown (the result is their
    participant-weighted mean, % of max); ``flags``: ``school_key, year, flag[, school_name]``.
    A school lacking either the index or a result in ``year`` is not a point (the page's table
    still lists it).
    """
    index = {r["school_key"]: _number(r.get("context_index")) for r in as_rows(context)
             if r.get("year") == year}
    school_flags, flag_names = _flags_of_year(flags, year)
    points = []
    for key, (result, participants) in _weighted_results(as_rows(stats), year).items():
        school_index = index.get(key)
        if school_index is None:
            continue
        name = (names or {}).get(key) or flag_names.get(key) or key
        points.append(_point(key, name, school_index, result, participants, school_flags[key]))
    return sorted(points, key=lambda p: (p["school_name"], p["school_key"]))


def typology_chart(points: list[dict[str, Any]], *, title: str,
                   x_rule: float | None = None, y_rule: float | None = None,
                   y_title: str = "Средний результат, % от максимума",
                   width: int = 560, height: int = 400) -> dict[str, Any]:
    """The 2×2 typology: context index (x, higher = more adverse) against result (y).

    Quadrant lines default to the medians of the points shown (the region's medians when the
    page shows the region); pass ``y_rule=0`` when y is a gap or a context-adjusted residual.
    """
    if points and x_rule is None:
        x_rule = statistics.median(p["context_index"] for p in points)
    if points and y_rule is None:
        y_rule = statistics.median(p["result_pct"] for p in points)
    datasets: dict[str, list[dict[str, Any]]] = {"points": points}
    has_rules = x_rule is not None and y_rule is not None
    if has_rules:
        datasets["rule_x"] = [{"value": x_rule, "name": "Медиана индекса"}]
        datasets["rule_y"] = [{"value": y_rule, "name": "Линия результата"}]
    return _filled(_typology_skeleton(y_title, width, height, has_rules), title, datasets)


@lru_cache(maxsize=16)
def _typology_skeleton(y_title: str, width: int, height: int, has_rules: bool) -> dict[str, Any]:
    dots = alt.Chart(alt.NamedData(name="points")).mark_circle(size=70, opacity=0.85).encode(
        x=alt.X("context_index:Q", scale=alt.Scale(zero=False),
                title="Индекс неблагоприятности контекста (выше — неблагоприятнее)"),
        y=alt.Y("result_pct:Q", scale=alt.Scale(zero=False), title=y_title),
        color=alt.Color("category_label:N", title="Отметка",
                        scale=_colour_scale(TYPOLOGY_CATEGORIES),
                        legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[
            alt.Tooltip("school_name:N", title="Школа"),
            alt.Tooltip("context_index:Q", title="Индекс контекста", format=".2f"),
            alt.Tooltip("result_pct:Q", title=y_title, format=".1f"),
            alt.Tooltip("participants:Q", title="Участников", format="d"),
            alt.Tooltip("flags_text:N", title="Отметки"),
        ],
    )
    layers: list[alt.Chart] = [dots]
    if has_rules:
        layers += [_rule("x", "rule_x"), _rule("y", "rule_y")]
    return _finish(alt.layer(*layers).properties(width=width, height=height), title="",
                   datasets={})


def _filled(skeleton: dict[str, Any], title: str,
            datasets: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A copy of a cached, validated chart structure with this chart's title and rows.

    Pages draw many charts; building each through Altair cost ~50 ms (it validates the structure
    on every ``to_dict``). The structure depends only on a few parameters, so it is built once
    per parameter set (``lru_cache``) and only the title and the rows differ between charts.
    """
    spec = copy.deepcopy(skeleton)
    spec["title"] = title
    spec["datasets"] = dict(datasets)
    return spec


def _rule(axis: str, dataset: str) -> alt.Chart:
    """A dashed quadrant line on ``axis`` at the value of the named one-row dataset."""
    channel = alt.X if axis == "x" else alt.Y
    return alt.Chart(alt.NamedData(name=dataset)).mark_rule(
        strokeDash=[5, 4], color="#444444").encode(
        **{axis: channel("value:Q")},
        tooltip=[alt.Tooltip("name:N", title="Линия"),
                 alt.Tooltip("value:Q", title="Значение", format=".2f")],
    )


# --- (b) the funnel plot: school size against gap to the region ----------------------------


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


# --- (c) one school's result by year against the region -----------------------------------


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


def school_years_chart(stats: Rows, *, title: str, width: int = 520,
                       height: int = 320) -> dict[str, Any]:
    """A school's mean (% of max) by year with its 95 % interval, and the region's mean.

    A school card shows one such chart per work (often 15–20): see :func:`_filled`.
    """
    return _filled(_school_years_skeleton(width, height), title,
                   {"series": school_years_data(stats)})


@lru_cache(maxsize=8)
def _school_years_skeleton(width: int, height: int) -> dict[str, Any]:
    bars, lines = _year_layers(alt.Chart(alt.NamedData(name="series")))
    return _finish(alt.layer(bars, lines).properties(width=width, height=height), title="",
                   datasets={"series": []})


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
    :func:`school_years_chart`'s content. One spec for the card instead of one per work: a
    school with 20 works had 20 specs of ~4 KB with the same structure.
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
