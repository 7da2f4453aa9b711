"""Vega-Lite chart specs for the workplace pages, built with Vega-Altair: one module per chart.

Pure functions: rows of the engine's output tables in, a Vega-Lite spec (a JSON-ready ``dict``)
out; :mod:`~opora.web.charts.base` holds what they share (the Russian locale, the safe JSON for
the page, the cached skeletons). The page puts a spec into ``<script type="application/json"
class="vega-spec">`` and ``static/opora/charts.js`` draws it with the vendored Vega-Embed; the
same spec can go through vl-convert into a report.
"""

from opora.web.charts.base import (
    CHART_DECIMALS,
    RU_NUMBER_LOCALE,
    RU_TIME_LOCALE,
    as_rows,
    spec_json,
)
from opora.web.charts.funnel import (
    FUNNEL_BANDS,
    Z_95,
    Z_998,
    funnel_band,
    funnel_chart,
    funnel_curve,
    funnel_limit,
    funnel_points,
    regional_sd,
)
from opora.web.charts.school_years import school_works_chart, school_years_data
from opora.web.charts.typology import (
    TYPOLOGY_CATEGORIES,
    typology_category,
    typology_chart,
    typology_gap_points,
)

__all__ = [
    "CHART_DECIMALS", "FUNNEL_BANDS", "RU_NUMBER_LOCALE", "RU_TIME_LOCALE", "TYPOLOGY_CATEGORIES",
    "Z_95", "Z_998", "as_rows", "funnel_band", "funnel_chart", "funnel_curve", "funnel_limit",
    "funnel_points", "regional_sd", "school_works_chart", "school_years_data", "spec_json",
    "typology_category", "typology_chart", "typology_gap_points",
]
