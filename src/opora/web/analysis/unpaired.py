"""Schools on a run's list without a proposed network pair, and why (issue 12: «Pairs explained»).

The engine's ``unpaired`` output (:data:`opora.schemas.UNPAIRED`, ``unpaired.csv``) stored as
:class:`~opora.web.analysis.models.RunUnpaired`, one row per school, loaded in the same
transaction as the run's other results (:func:`load_unpaired`, called by
:mod:`opora.web.analysis.execution`). Kept apart from :mod:`opora.web.analysis.loading` so that
a run stored before the table existed simply has no rows: its pages say nothing about pairs it
did not explain.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa

from opora.web.analysis.models import AnalysisRun, RunUnpaired
from opora.web.schools.models import School

#: reason code → a short Russian heading (the full reason with its numbers is in ``reason``)
REASONS: dict[str, str] = {
    "no_leaders": "нет школ-лидеров",
    "too_far": "лидеры слишком далеко",
    "no_similar": "нет лидеров в похожих условиях",
    "capacity": "подходящие лидеры заняты",
    "not_low": "в списке не как ШНОР",
}
_FIELDS = ("year", "reason_code", "reason", "leaders", "leaders_near", "leaders_similar",
           "nearest_km", "nearest_context_distance")


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def load_unpaired(run: AnalysisRun, table: pa.Table | None) -> int:
    """Replace the run's unpaired rows by ``table`` (rows of unknown schools are skipped, as the
    other results skip them); returns how many were stored. Call inside the run's transaction."""
    RunUnpaired.objects.filter(run=run).delete()
    if table is None or table.num_rows == 0:
        return 0
    ids = dict(School.objects.filter(key__in=table.column("school_key").to_pylist())
               .values_list("key", "pk"))
    rows = [RunUnpaired(run=run, school_id=ids[r["school_key"]],
                        **{f: _clean(r[f]) for f in _FIELDS})
            for r in table.select(["school_key", *_FIELDS]).to_pylist()
            if r["school_key"] in ids]
    RunUnpaired.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def unpaired_of(run: AnalysisRun, school: School) -> dict[str, Any] | None:
    """Why ``school`` has no pair in ``run`` (``None``: it has one, or is not on the list)."""
    row = RunUnpaired.objects.filter(run=run, school=school).values(*_FIELDS).first()
    if row is None:
        return None
    return {**row, "heading": REASONS.get(row["reason_code"], row["reason_code"])}


def unpaired_of_run(run: AnalysisRun, schools: Any = None) -> list[dict[str, Any]]:
    """The run's ШНОР without a pair (not the ``not_low`` rows), by school name: ``[{school_id,
    school, reason_code, heading, reason}]``; ``schools`` narrows them (a queryset of schools)."""
    rows = RunUnpaired.objects.filter(run=run).exclude(reason_code="not_low")
    if schools is not None:
        rows = rows.filter(school__in=schools)
    found = rows.select_related("school").order_by("school__short_name", "school__key")
    return [{"school_id": u.school_id, "school": u.school.short_name or u.school.key,
             "reason_code": u.reason_code, "heading": REASONS.get(u.reason_code, u.reason_code),
             "reason": u.reason} for u in found]
