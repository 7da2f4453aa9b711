"""What a region publishes: per-school ЕГЭ results and the reference (total) values.

* ``aggregates`` — ЕГЭ per school as regions publish it (participants, below the minimum
  threshold, 80–99, 100, mean test score), summed from the generated student-level ЕГЭ results.
* ``reference`` — the region's totals per procedure × year × grade × subject (participants, «2»,
  below threshold, 80–99, 100, mean score, participant-weighted as the published totals are), and
  the same per municipality. At municipality scale the region total includes the shadow schools,
  each counted with its weight (see :mod:`opora.demo.territory`), so it is the total of a region
  of ~1,000 schools, not of the demo town.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa

from opora.catalog import PROCEDURES
from opora.demo.assemble import CellSums
from opora.demo.territory import Territory
from opora.schemas import AGGREGATES, REFERENCE, conform


def aggregates_table(sums: list[CellSums], territory: Territory, source: str) -> pa.Table:
    rows: dict[str, list[object]] = defaultdict(list)
    for cs in sums:
        procedure, year, grade, subject = cs.key
        if procedure != "EGE":
            continue
        assert cs.below is not None and cs.high is not None and cs.top is not None
        for j, s in enumerate(cs.schools):
            if not territory.loaded[s]:
                continue
            rows["school_key"].append(territory.keys[s])
            rows["school_name"].append(territory.short_name(int(s)))
            rows["municipality"].append(territory.municipality_names[territory.municipality[s]])
            for name, value in (("procedure", procedure), ("year", year), ("grade", grade),
                                ("subject", subject), ("participants", cs.participants[j]),
                                ("below_threshold", cs.below[j]), ("high_scorers", cs.high[j]),
                                ("top_scorers", cs.top[j])):
                rows[name].append(value)
            rows["mean_score"].append(round(cs.score_sum[j] / cs.participants[j], 2))
            rows["score_scale"].append("test")
            rows["source"].append(source)
    if not rows:
        return AGGREGATES.empty()
    return conform(pa.table(dict(rows)), AGGREGATES)


_COUNTS = ("participants", "mark_2", "below_threshold", "high_scorers", "top_scorers")


def reference_table(sums: list[CellSums], territory: Territory, source: str) -> pa.Table:
    rows: dict[str, list[object]] = defaultdict(list)
    region_of = territory.region
    for cs in sums:
        values = _count_columns(cs)
        weights = territory.weight[cs.schools]
        for level, group, w in (("region", region_of[cs.schools], weights),
                                ("municipality", territory.municipality[cs.schools],
                                 territory.loaded[cs.schools].astype(float))):
            for g in np.unique(group[w > 0]):
                mask = (group == g) & (w > 0)
                _reference_row(rows, level, int(g), cs, values, mask, w, territory, source)
    return conform(pa.table(dict(rows)), REFERENCE)


def _count_columns(cs: CellSums) -> dict[str, np.ndarray | None]:
    return {"participants": cs.participants,
            "mark_2": cs.marks[:, 0] if cs.marks is not None else None,
            "below_threshold": cs.below, "high_scorers": cs.high, "top_scorers": cs.top}


def _reference_row(rows: dict[str, list[object]], level: str, group: int, cs: CellSums,
                   values: dict[str, np.ndarray | None], mask: np.ndarray, w: np.ndarray,
                   territory: Territory, source: str) -> None:
    procedure, year, grade, subject = cs.key
    if level == "region":
        region, municipality = territory.region_names[group], None
    else:
        region = territory.region_names[int(territory.region_of_municipality[group])]
        municipality = territory.municipality_names[group]
    rows["level"].append(level)
    rows["region"].append(region)
    rows["municipality"].append(municipality)
    for name, value in (("procedure", procedure), ("year", year), ("grade", grade),
                        ("subject", subject)):
        rows[name].append(value)
    weight = w[mask]
    for name in _COUNTS:
        column = values[name]
        rows[name].append(None if column is None else round(float(
            (column[mask] * weight).sum())))
    total = float((cs.participants[mask] * weight).sum())
    rows["mean_score"].append(float((cs.score_sum[mask] * weight).sum()) / total)
    rows["score_scale"].append(PROCEDURES[procedure].score_scale)
    rows["source"].append(source)
