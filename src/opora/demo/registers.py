"""Small tables of the data set: schools, scales, tasks, truth, the federal markers list, the
official lists from above (ШНОР of the ministry, 500+) and the regional re-check results."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa

from opora.catalog import SUBJECTS
from opora.demo.instruments import Instrument
from opora.demo.properties import Plan
from opora.demo.territory import Territory
from opora.schemas import (
    MARKERS,
    OFFICIAL_LISTS,
    RECHECKS,
    SCALES,
    SCHOOLS,
    TASKS,
    TRUTH,
    conform,
)

MARKERS_SOURCE = "Перечень ОО с признаками необъективных результатов ВПР (синтетический)"
LISTS_SOURCE = "синтетический список «сверху» демо-данных"
RECHECK_SOURCE = "протокол региональной перепроверки (синтетический)"
RECHECKED_WORKS = 20


def schools_table(t: Territory) -> pa.Table:
    idx = np.nonzero(t.loaded)[0]
    table = pa.table({
        "school_key": [t.keys[i] for i in idx],
        "region": [t.region_names[int(t.region[i])] for i in idx],
        "municipality": [t.municipality_names[int(t.municipality[i])] for i in idx],
        "number": t.number[idx],
        "short_name": [t.short_name(int(i)) for i in idx],
        "full_name": [t.full_name(int(i)) for i in idx],
        "kind": t.kind[idx],
        "microdistrict": [t.microdistrict[i] for i in idx],
        "address": [t.address[i] for i in idx],
        "latitude": t.latitude[idx],
        "longitude": t.longitude[idx],
        "fis_oko_login": [t.logins[i] for i in idx],
        "active_from": t.active_from[idx],
    })
    return conform(table, SCHOOLS)


def scales_table(instruments: list[Instrument]) -> pa.Table:
    rows: dict[str, list[object]] = defaultdict(list)
    for ins in instruments:
        b = ins.boundaries or (None, None, None)
        for name, value in (("procedure", ins.procedure), ("year", ins.year),
                            ("grade", ins.grade), ("subject", ins.subject),
                            ("max_primary_score", ins.max_score), ("boundary_3", b[0]),
                            ("boundary_4", b[1]), ("boundary_5", b[2]),
                            ("min_threshold", ins.min_threshold),
                            ("threshold_scale", ins.threshold_scale)):
            rows[name].append(value)
    return conform(pa.table(dict(rows)), SCALES)


def tasks_table(instruments: list[Instrument]) -> pa.Table:
    rows: dict[str, list[object]] = defaultdict(list)
    for ins in instruments:
        for no, (label, maximum, level) in enumerate(
                zip(ins.labels, ins.maxima, ins.levels, strict=True), start=1):
            for name, value in (("procedure", ins.procedure), ("year", ins.year),
                                ("grade", ins.grade), ("subject", ins.subject), ("task_no", no),
                                ("task_label", label), ("max_score", float(maximum)),
                                ("level", level)):
                rows[name].append(value)
    return conform(pa.table(dict(rows)), TASKS)


def truth_table(plan: Plan, t: Territory) -> pa.Table:
    rows = sorted(plan.truth, key=lambda r: (r[0], r[1], r[2] or 0, r[3] or 0, r[4] or ""))
    table = pa.table({
        "school_key": [t.keys[r[0]] for r in rows],
        "property": [r[1] for r in rows],
        "year": pa.array([r[2] for r in rows], pa.int16()),
        "grade": pa.array([r[3] for r in rows], pa.int8()),
        "subject": pa.array([r[4] for r in rows], pa.string()),
        "strength": pa.array([round(r[5], 3) for r in rows], pa.float32()),
    })
    return conform(table, TRUTH)


def markers_table(plan: Plan, t: Territory) -> pa.Table:
    rows = sorted(set(plan.markers))
    table = pa.table({
        "school_key": [t.keys[r[0]] for r in rows],
        "school_name": [t.short_name(r[0]) for r in rows],
        "year": pa.array([r[1] for r in rows], pa.int16()),
        "grade": pa.array([r[2] for r in rows], pa.int8()),
        "subject": [r[3] for r in rows],
        "marker": [f"{r[2]} {SUBJECTS[r[3]].short_ru}" for r in rows],
        "source": [MARKERS_SOURCE] * len(rows),
    })
    return conform(table, MARKERS)


def official_lists_table(plan: Plan, t: Territory, years: list[int]) -> pa.Table:
    """The ministry's ШНОР list of the last year and the 500+ list of the first: the schools the
    plan made persistently low (a list from above that agrees with the truth, to be shown beside
    Опора's own flags)."""
    low = sorted({s for s, name, *_ in plan.truth if name == "persistently_low" and t.loaded[s]})
    rows = [(s, years[-1], "low_results_official") for s in low]
    rows += [(s, years[0], "project_500") for s in low]
    table = pa.table({
        "school_key": [t.keys[s] for s, _, _ in rows],
        "school_name": [t.short_name(s) for s, _, _ in rows],
        "municipality": [t.municipality_names[int(t.municipality[s])] for s, _, _ in rows],
        "fis_oko_login": [t.logins[s] for s, _, _ in rows],
        "year": pa.array([y for _, y, _ in rows], pa.int16()),
        "list_kind": [k for _, _, k in rows],
        "source": [LISTS_SOURCE] * len(rows),
    })
    return conform(table, OFFICIAL_LISTS)


def rechecks_table(plan: Plan, t: Territory) -> pa.Table:
    """A re-check of every ВПР work the plan inflated: 20 works, the marks of 8 of them lowered,
    2,5 primary points less on average (the sign's numbers; the engine does not judge them yet)."""
    cells = sorted({(s, y, g, subj) for s, name, y, g, subj, _ in plan.truth
                    if name == "inflated_marks" and t.loaded[s] and y is not None
                    and g is not None and subj is not None})
    table = pa.table({
        "school_key": [t.keys[s] for s, *_ in cells],
        "school_name": [t.short_name(s) for s, *_ in cells],
        "procedure": ["VPR"] * len(cells),
        "year": pa.array([y for _, y, _, _ in cells], pa.int16()),
        "grade": pa.array([g for _, _, g, _ in cells], pa.int8()),
        "subject": [subj for *_, subj in cells],
        "works_rechecked": pa.array([RECHECKED_WORKS] * len(cells), pa.int32()),
        "works_changed": pa.array([8] * len(cells), pa.int32()),
        "mean_change": pa.array([-2.5] * len(cells), pa.float64()),
        "source": [RECHECK_SOURCE] * len(cells),
    })
    return conform(table, RECHECKS)
