"""Reads of support events, scoped by the Viewer: the list with filters, the calendar, a person's
own events (the iCalendar feed), one event with what its page shows.

Who sees an event: the coordinator and methodists of its municipality, regional staff of its
region, and whoever sees one of its schools (the school's administrator, its curator), plus the
person who organised or recorded it. Each read is a fixed number of queries whatever the number
of events (``tests/web/test_support_queries.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opora.web.accounts.scope import Viewer
from opora.web.schools.models import School
from opora.web.support.models import EventParticipant, EventSchool, SupportEvent


def school_ids_seen(viewer: Viewer) -> set[int]:
    """Schools a school-level role sees (administered and curated): their events are visible."""
    return viewer.administered_school_ids() | viewer.curated_ids()


def events_visible(viewer: Viewer) -> QuerySet[SupportEvent]:
    """Every event the viewer may read (unordered, no related rows)."""
    if viewer.superuser:
        return SupportEvent.objects.all()
    if not viewer.active:
        return SupportEvent.objects.none()
    condition = Q(organiser_id=viewer.user.pk) | Q(created_by_id=viewer.user.pk)
    municipal = viewer.municipal_ids()
    if municipal:
        condition |= Q(municipality_id__in=municipal)
    regions = viewer.regional_ids()
    if regions:
        condition |= Q(municipality__region_id__in=regions)
    schools = school_ids_seen(viewer)
    if schools:
        condition |= Q(Exists(EventSchool.objects.filter(event=OuterRef("pk"),
                                                         school_id__in=schools)))
    return SupportEvent.objects.filter(condition)


def with_schools(events: QuerySet[SupportEvent]) -> QuerySet[SupportEvent]:
    """Events with their schools in one more query (names for lists and calendars)."""
    return events.prefetch_related(Prefetch(
        "event_schools", queryset=EventSchool.objects.select_related("school")
        .order_by("school__number", "school__short_name")))


@dataclass(frozen=True)
class EventFilter:
    """The list's and calendar's GET parameters, parsed (a malformed value is ignored)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""
    status: str = ""
    school: int | None = None
    mine: bool = False
    q: str = ""

    @classmethod
    def of(cls, params: Any) -> EventFilter:
        def day(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(params.get(name, ""))
            except ValueError:
                return None

        school = params.get("school", "")
        return cls(date_from=day("from"), date_to=day("to"), kind=params.get("kind", "")[:32],
                   status=params.get("status", "")[:16],
                   school=int(school) if school.isdigit() else None,
                   mine=params.get("mine") == "1", q=params.get("q", "").strip()[:100])

    def apply(self, events: QuerySet[SupportEvent], viewer: Viewer) -> QuerySet[SupportEvent]:
        if self.date_from:
            events = events.filter(starts_at__gte=_day_start(self.date_from))
        if self.date_to:
            events = events.filter(starts_at__lt=_day_start(self.date_to + dt.timedelta(days=1)))
        if self.kind:
            events = events.filter(kind=self.kind)
        if self.status:
            events = events.filter(status=self.status)
        if self.school:
            events = events.filter(Exists(EventSchool.objects.filter(
                event=OuterRef("pk"), school_id=self.school)))
        if self.mine:
            events = events.filter(Q(organiser_id=viewer.user.pk)
                                   | Q(created_by_id=viewer.user.pk))
        if self.q:  # SQLite folds the case of Latin letters only: try the usual spellings
            spellings = {self.q, self.q.lower(), self.q.capitalize(), self.q.upper()}
            condition = Q()
            for spelling in spellings:
                condition |= Q(topic__icontains=spelling)
            events = events.filter(condition)
        return events

    def params(self, **changes: Any) -> str:
        """The filter as a query string (for links that keep it)."""
        values = {"from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", "kind": self.kind,
                  "status": self.status, "school": str(self.school or ""),
                  "mine": "1" if self.mine else "", "q": self.q}
        values.update({k: str(v) for k, v in changes.items()})
        return urlencode({k: v for k, v in values.items() if v})


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def event_get(viewer: Viewer, pk: int) -> SupportEvent:
    """One event the viewer sees, with its schools, participants, tasks and files; 404 else."""
    found = (with_schools(events_visible(viewer).filter(pk=pk))
             .select_related("municipality", "organiser", "organiser_school", "created_by")
             .prefetch_related(
                 Prefetch("participants", queryset=EventParticipant.objects
                          .select_related("teacher", "school", "confirmed_by")
                          .order_by("school__number", "teacher__name")),
                 "tasks", "attachments").first())
    if found is None:
        raise Http404("Мероприятие не найдено или недоступно")
    return found


def event_for_edit(viewer: Viewer, pk: int) -> SupportEvent:
    found = with_schools(events_visible(viewer).filter(pk=pk)).first()
    if found is None:
        raise Http404("Мероприятие не найдено или недоступно")
    return found


def visible_participants(viewer: Viewer, event: SupportEvent) -> list[EventParticipant]:
    """Participants shown to the viewer: every one to municipal and regional roles; to a school's
    administrator or curator only those of schools they see (teachers of other schools are
    not theirs to read)."""
    rows = list(event.participants.all())
    if viewer.superuser or event.municipality_id in viewer.municipal_ids() \
            or event.municipality.region_id in viewer.regional_ids():
        return rows
    own = school_ids_seen(viewer)
    mine = viewer.user.pk in (event.organiser_id, event.created_by_id)
    return [p for p in rows if mine or p.school_id in own]


def recordable_schools(viewer: Viewer) -> QuerySet[School]:
    """Schools the viewer may record events for: a curator's assigned ones, the municipality's
    for its coordinator and methodists."""
    if viewer.superuser:
        return School.objects.select_related("municipality").order_by("number", "short_name")
    condition = Q(pk__in=viewer.curated_ids()) | Q(municipality_id__in=viewer.municipal_ids())
    return (School.objects.filter(condition).select_related("municipality")
            .order_by("municipality__name", "number", "short_name"))


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    today: bool
    events: list[SupportEvent] = field(default_factory=list)


def calendar_days(events: QuerySet[SupportEvent], first: dt.date, last: dt.date,
                  month: int | None) -> list[CalendarDay]:
    """Days from ``first`` to ``last`` with their events (two queries: events, their schools)."""
    today = timezone.localdate()
    dates = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    days = {d: CalendarDay(d, month is None or d.month == month, d == today) for d in dates}
    rows = with_schools(events.filter(starts_at__gte=_day_start(first),
                                      starts_at__lt=_day_start(last + dt.timedelta(days=1))))
    for event in rows.order_by("starts_at", "pk"):
        day = timezone.localtime(event.starts_at).date()
        if day in days:
            days[day].events.append(event)
    return list(days.values())


def my_events(viewer: Viewer) -> QuerySet[SupportEvent]:
    """A person's own events (the calendar feed): organised or recorded by them, and the events
    of the schools assigned to them (a curator's, a school administrator's)."""
    user = viewer.user
    condition = Q(organiser_id=user.pk) | Q(created_by_id=user.pk)
    schools = school_ids_seen(viewer)
    if schools:
        condition |= Q(Exists(EventSchool.objects.filter(event=OuterRef("pk"),
                                                         school_id__in=schools)))
    return events_visible(viewer).filter(condition)
