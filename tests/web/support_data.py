"""Data for the support work's tests: teachers and events on the personas' territory.

    «Первый»: A (№ 1, its administrator «director»), B (№ 2, curator «curator»);
    «Второй»: C (№ 3, curator «curator»); «Третий»: D (№ 4).

Events are written through the same service the pages call (:func:`event_create`), so a test
never builds a row the application could not have made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from personas import PersonaTestCase

from opora.web.staff.models import Teacher
from opora.web.support.services.events import EventData, event_create


def teacher(school: Any, name: str, **fields: Any) -> Teacher:
    found = Teacher(school=school, name=name, **fields)
    found.full_clean()
    found.save()
    return found


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def event_data(schools: list[Any], *, day: dt.date | None = None, hour: int = 10,
               hours: int = 2, **fields: Any) -> EventData:
    """A held monitoring visit two days ago unless told otherwise."""
    day = day or days_ago(2)
    values: dict[str, Any] = {"kind": "monitoring_visit", "topic": "Мониторинговый визит",
                              "status": "held", "organiser_kind": "curator",
                              "place": "школа", "participants": []}
    values.update(fields)
    return EventData(starts_at=moment(day, hour), ends_at=moment(day, hour + hours),
                     schools=schools, **values)


def record(by: Any, schools: list[Any], **fields: Any) -> Any:
    return event_create(by=by, data=event_data(schools, **fields))


class SupportTestCase(PersonaTestCase):
    """The personas and three teachers in each of A, B and C."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.teachers = {school.key: [teacher(school, f"{school.key}-учитель-{i}")
                                     for i in range(1, 4)]
                        for school in (cls.a, cls.b, cls.c, cls.d)}
