"""Reads of a school's staff, scoped by the Viewer (``Action.SEE_STAFF``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from opora.web.accounts.scope import Viewer
from opora.web.schools.models import School
from opora.web.staff.models import Teacher


def teachers_visible_to(viewer: Viewer) -> QuerySet[Teacher]:
    """Every teacher (working or left) of the schools whose staff the viewer may read."""
    if viewer.superuser:
        return Teacher.objects.all()
    if not viewer.active:
        return Teacher.objects.none()
    return Teacher.objects.filter(school__in=viewer.staff_schools().values("pk"))


def school_teachers(school: School, *, include_left: bool = False,
                    on: datetime.date | None = None) -> QuerySet[Teacher]:
    """A school's teachers by name: those working ``on`` a day (today), or all with the left.

    The caller has checked ``Action.SEE_STAFF`` on ``school``."""
    found = Teacher.objects.filter(school=school)
    if not include_left:
        found = found.working_on(on or datetime.date.today())
    return found.order_by("name", "pk")
