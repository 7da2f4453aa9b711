"""The effectiveness analysis: the effect of entering the system with its 95 % interval, one
row per procedure and subject (and «все работы»), with a zero line — a bar that does not cross
it is an effect the data show (``opora.engine.effectiveness``)."""

from __future__ import annotations

from typing import Any

import altair as alt

from opora.web.charts.base import _finish, _number


def effect_chart(rows: list[dict[str, Any]], *, title: str) -> dict[str, Any]:
    """``rows``: ``work`` (a label), ``effect``, ``low``, ``high`` (п. п.), ``treated``,
    ``controls``; rows without an estimate are left out (the table says «недостаточно данных»)."""
    data = [{"work": r["work"], "effect": _number(r["effect"]), "low": _number(r["low"]),
             "high": _number(r["high"]), "treated": r["treated"], "controls": r["controls"]}
            for r in rows if r.get("effect") is not None]
    base = alt.Chart(alt.NamedData("effects"))
    y = alt.Y("work:N", title="", sort=None)
    tooltip = [alt.Tooltip("work:N", title="Работы"),
               alt.Tooltip("effect:Q", title="Эффект, п. п.", format=".1f"),
               alt.Tooltip("low:Q", title="Интервал 95 %: от", format=".1f"),
               alt.Tooltip("high:Q", title="Интервал 95 %: до", format=".1f"),
               alt.Tooltip("treated:Q", title="Школ в системе", format="d"),
               alt.Tooltip("controls:Q", title="Школ для сравнения", format="d")]
    bars = base.mark_rule(strokeWidth=3, color="#2166ac").encode(
        y=y, x=alt.X("low:Q", title="Эффект: разность изменений отставания от региона, п. п."),
        x2="high:Q", tooltip=tooltip)
    points = base.mark_point(filled=True, size=70, color="#2166ac").encode(
        y=y, x="effect:Q", tooltip=tooltip)
    zero = alt.Chart(alt.NamedData("zero")).mark_rule(color="#7f7f7f", strokeDash=[4, 4]).encode(
        x="x:Q")
    chart = alt.layer(zero, bars, points).properties(width=520, height=max(60, 28 * len(data)))
    return _finish(chart, title=title, datasets={"effects": data, "zero": [{"x": 0}]})
