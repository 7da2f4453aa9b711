"""(e) A school's 500+ risk profile over the years: factors × years, each cell coloured by the
factor's level with its score written in it (issue 15).

A grid, not bars: a profile may give levels without scores, and the change between years is read
as a change of colour in a row. Factors are those of the latest year's catalogue, in its order;
a factor an earlier catalogue had and the latest has not is listed after them. Colours and
names: the glossary's ``RISK_LEVELS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import altair as alt

from opora.glossary import RISK_LEVELS, risk_factor_name
from opora.numbers import number
from opora.web.charts.base import _filled, _finish

#: (code, name, colour) of each level, lowest first.
LEVELS: tuple[tuple[str, str, str], ...] = tuple((t.code, t.plural_ru, t.colour)
                                                 for t in RISK_LEVELS)
_LEVEL_NAMES = {code: name for code, name, _ in LEVELS}


def risk_profile_data(profiles: Iterable[tuple[int, Iterable[tuple[str, str, float | None]]]],
                      factor_order: Sequence[str]) -> list[dict[str, Any]]:
    """Rows (year, factor name, level name, score text) from ``[(year, [(factor, level,
    score)])]``; ``factor_order`` is the order of the rows of the grid."""
    rank = {code: i for i, code in enumerate(factor_order)}
    data = []
    for year, levels in profiles:
        for factor, level, score in levels:
            data.append({"year": str(year), "factor": risk_factor_name(factor),
                         "order": rank.get(factor, len(rank)), "level": _LEVEL_NAMES[level],
                         "score": "" if score is None else number(score, 0)})
    return data


def risk_profile_chart(data: list[dict[str, Any]], *, title: str,
                       factor_names: Sequence[str]) -> dict[str, Any]:
    spec = _filled(_skeleton(len(factor_names)), title, {"profile": data})
    spec["encoding"]["y"]["sort"] = list(factor_names)
    return spec


@lru_cache(maxsize=16)
def _skeleton(rows: int) -> dict[str, Any]:
    base = alt.Chart(alt.NamedData(name="profile"))
    x = alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0, orient="top"))
    y = alt.Y("factor:N", title=None, axis=alt.Axis(labelLimit=430, labelFontSize=12))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("level:N", title="Уровень риска", scale=alt.Scale(
            domain=[name for _, name, _ in LEVELS], range=[colour for *_, colour in LEVELS]),
            legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("factor:N", title="Фактор"), alt.Tooltip("year:O", title="Год"),
                 alt.Tooltip("level:N", title="Уровень"),
                 alt.Tooltip("score:N", title="Балл (0–100)")])
    text = base.mark_text(fontSize=12, color="white", fontWeight="bold").encode(text="score:N")
    chart = alt.layer(cells, text).encode(x=x, y=y).properties(
        width=alt.Step(70), height=max(1, rows) * 26)
    return _finish(chart, title="", datasets={"profile": []})
