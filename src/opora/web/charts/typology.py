"""(a) The 2×2 typology: each school's social-context index against its result, coloured by its
strongest flag (DOMAIN.md, «Social context (ШНСУ) and context-adjusted results»)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import altair as alt

from opora.glossary import (
    ADVERSE_CONTEXT,
    LEADER,
    LOW_AND_ADVERSE,
    LOW_RESULTS,
    LOW_RESULTS_FLAGS,
    NO_FLAGS,
    NON_OBJECTIVE,
    RESILIENT,
    Term,
    flag_label,
)
from opora.web.charts.base import Rows, _colour_scale, _filled, _finish, _number, as_rows

#: Categories of the 2×2 typology, in the order a school is assigned to the first that fits:
#: signs of non-objectivity come first because such a school's numbers cannot be trusted and it
#: is never treated as a leader (issue 3, «Non-objectivity signs»). Names and colours: the glossary.
_CATEGORY_TERMS: tuple[Term, ...] = (
    NON_OBJECTIVE, LOW_AND_ADVERSE, LOW_RESULTS, RESILIENT, ADVERSE_CONTEXT, LEADER, NO_FLAGS)
TYPOLOGY_CATEGORIES: tuple[tuple[str, str, str], ...] = tuple(
    (term.code, term.name_ru, term.colour) for term in _CATEGORY_TERMS)
_LOW_FLAGS = LOW_RESULTS_FLAGS  # either ШНОР rule or persistently low


def typology_category(flags: set[str]) -> str:
    """The one typology category of a school with these flags (see ``TYPOLOGY_CATEGORIES``)."""
    low, adverse = bool(flags & _LOW_FLAGS), ADVERSE_CONTEXT.code in flags
    if NON_OBJECTIVE.code in flags:
        return NON_OBJECTIVE.code
    if low and adverse:
        return LOW_AND_ADVERSE.code
    if low:
        return LOW_RESULTS.code
    for term in (RESILIENT, ADVERSE_CONTEXT, LEADER):
        if term.code in flags:
            return term.code
    return NO_FLAGS.code


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


def _point(key: str, name: str, index: float, result: float, flags: set[str]) -> dict[str, Any]:
    category = typology_category(flags)
    labels = {code: label for code, label, _ in TYPOLOGY_CATEGORIES}
    return {"school_key": key, "school_name": name, "context_index": index,
            "result_pct": result, "category": category, "category_label": labels[category],
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
        points.append(_point(key, name, index, gap, school_flags[key]))
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
            alt.Tooltip("flags_text:N", title="Отметки"),
        ],
    )
    layers: list[alt.Chart] = [dots]
    if has_rules:
        layers += [_rule("x", "rule_x"), _rule("y", "rule_y")]
    return _finish(alt.layer(*layers).properties(width=width, height=height), title="",
                   datasets={})


def _rule(axis: str, dataset: str) -> alt.Chart:
    """A dashed quadrant line on ``axis`` at the value of the named one-row dataset."""
    channel = alt.X if axis == "x" else alt.Y
    return alt.Chart(alt.NamedData(name=dataset)).mark_rule(
        strokeDash=[5, 4], color="#444444").encode(
        **{axis: channel("value:Q")},
        tooltip=[alt.Tooltip("name:N", title="Линия"),
                 alt.Tooltip("value:Q", title="Значение", format=".2f")],
    )
