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
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import altair as alt
import pyarrow as pa
from django.utils.safestring import SafeString, mark_safe

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
