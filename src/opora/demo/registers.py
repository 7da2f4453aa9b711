"""Small tables of the data set: schools, scales, tasks, truth and the federal markers list."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa

from opora.catalog import SUBJECTS
from opora.demo.instruments import Instrument
from opora.demo.properties import Plan
from opora.demo.territory import Territory
from opora.schemas import MARKERS, SCALES, SCHOOLS, TASKS, TRUTH, conform

MARKERS_SOURCE = "Перечень ОО с признаками необъективных результатов ВПР (синтетический)"


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
