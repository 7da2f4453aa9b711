"""Monitoring of execution: measures done, in progress, planned and overdue per school and for
the municipality, and «кто отстаёт».

Counted over the measures of approved roadmaps (a roadmap with at least one approved version:
its plan is what the school committed to). A measure is overdue when it is neither done nor
cancelled after its deadline (:meth:`~opora.web.programmes.models.Measure.shown_status`, the same
rule in SQL here). One aggregate query for all schools: the table costs the same number of
queries whatever their number (a test holds it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from opora.numbers import number
from opora.web.accounts.scope import Viewer
from opora.web.programmes.models import Measure, RoadmapVersion
from opora.web.programmes.models.roadmaps import CANCELLED, DONE, IN_PROGRESS, PLANNED
from opora.web.schools.models import Municipality, School


@dataclass
class Progress:
    school: School | None
    total: int = 0
    done: int = 0
    in_progress: int = 0
    planned: int = 0
    overdue: int = 0
    cancelled: int = 0

    @property
    def active(self) -> int:
        """Measures that count: all but the cancelled ones."""
        return self.total - self.cancelled

    @property
    def done_pct(self) -> float | None:
        return 100 * self.done / self.active if self.active else None

    @property
    def done_text(self) -> str:
        return "—" if self.done_pct is None else f"{number(self.done_pct, 0)} %"

    def add(self, other: Progress) -> None:
        for name in ("total", "done", "in_progress", "planned", "overdue", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Monitoring:
    municipality: Municipality
    today: dt.date
    rows: list[Progress]
    total: Progress = field(default_factory=lambda: Progress(None))

    @property
    def lagging(self) -> list[Progress]:
        """«Кто отстаёт»: schools with overdue measures, most overdue first."""
        late = [r for r in self.rows if r.overdue]
        return sorted(late, key=lambda r: (-r.overdue, r.done_pct or 0, r.school.short_name
                                           if r.school else ""))


def _late(today: dt.date) -> Q:
    return Q(status__in=(PLANNED, IN_PROGRESS), deadline__lt=today)


def progress_by_school(school_ids: list[int], today: dt.date) -> dict[int, Progress]:
    """One aggregate query: each school's counts over its approved roadmaps' measures."""
    approved = RoadmapVersion.objects.filter(roadmap_id=OuterRef("task__goal__problem__roadmap"))
    late = _late(today)
    rows = (Measure.objects.filter(task__goal__problem__roadmap__school_id__in=school_ids)
            .filter(Exists(approved))
            .values("task__goal__problem__roadmap__school_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=DONE)),
                      cancelled=Count("pk", filter=Q(status=CANCELLED)),
                      overdue=Count("pk", filter=late),
                      in_progress=Count("pk", filter=Q(status=IN_PROGRESS) & ~late),
                      planned=Count("pk", filter=Q(status=PLANNED) & ~late)))
    result: dict[int, Progress] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        school_id = values.pop("task__goal__problem__roadmap__school_id")
        result[school_id] = Progress(None, **values)
    return result


def municipality_monitoring(*, viewer: Viewer, municipality: Municipality,
                            today: dt.date) -> Monitoring:
    """The municipality's schools the viewer sees that have an approved roadmap."""
    schools = {s.pk: s for s in viewer.schools().filter(municipality=municipality)
               .order_by("number", "short_name", "pk")}
    counts = progress_by_school(list(schools), today)
    result = Monitoring(municipality, today, [])
    for pk, school in schools.items():
        if pk in counts:
            counts[pk].school = school
            result.rows.append(counts[pk])
            result.total.add(counts[pk])
    return result
