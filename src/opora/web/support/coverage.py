"""«Кто получил помощь»: per school in the system, what support it got in a period.

The schools are those of the municipality's current official list (``analysis.official``: which
schools are in the system, their category, since when). Per school: its current curators, network
pair partners and communities; the support events held (проведено, проведено дистанционно) in the
period by kind; the distinct teachers reached — participants of those events not marked absent,
and teachers on an in-service course (КПК) during the period; the days since the last visit (a
held, in-person event of a visiting kind, glossary ``EventKind.visit``). A school with no event
held in the ``QUIET_DAYS`` before the period's end (or today, if sooner) stands out.

The totals are the municipal indicators of seeds 001 and 004 computed from recorded facts
(DOMAIN.md, «Indicators the seeds name»): schools given help, in network pairs, with a curator,
taking part in round tables and seminars, teachers covered. Queries: a fixed number whatever the
number of schools and events (``tests/web/test_support_queries.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from opora.glossary import EVENT_KINDS, HELD_STATUSES
from opora.web.accounts.scope import Viewer
from opora.web.analysis.models import ApprovedList, Inclusion
from opora.web.analysis.official import official_list
from opora.web.core.ordering import natural_key
from opora.web.schools.models import Municipality, School
from opora.web.staff.models import Course
from opora.web.support.models import (
    CommunityMember,
    Curatorship,
    EventParticipant,
    EventSchool,
    NetworkPair,
)

QUIET_DAYS = 60
VISIT_KINDS = tuple(k.code for k in EVENT_KINDS if k.visit)
GATHERING_KINDS = ("round_table", "seminar", "webinar")  # seed 001: «круглые столы, семинары»


@dataclass
class CoverageRow:
    school: School
    category: str
    since_year: int
    curators: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    teachers: int = 0
    last_visit: dt.date | None = None
    last_event: dt.date | None = None
    days_since_visit: int | None = None
    quiet: bool = True
    by_kind_list: list[int] = field(default_factory=list)  # in the order of the page's columns

    @property
    def events(self) -> int:
        return sum(self.by_kind.values())

    def counts(self, kinds: list[str]) -> list[int]:
        return [self.by_kind.get(k, 0) for k in kinds]


@dataclass
class Coverage:
    municipality: Municipality
    official: ApprovedList | None
    start: dt.date
    end: dt.date
    as_of: dt.date
    rows: list[CoverageRow]
    kinds: list[tuple[str, str]]  # (code, plural name) of the kinds held in the period
    mine: bool = False

    @property
    def kind_codes(self) -> list[str]:
        return [code for code, _ in self.kinds]

    def totals(self) -> list[tuple[str, int]]:
        """The municipal indicators (seed 001) over the schools shown, each «единицы»."""
        rows = self.rows
        return [
            ("Школ в списке", len(rows)),
            ("Получили помощь за период", sum(1 for r in rows if r.events)),
            ("С куратором", sum(1 for r in rows if r.curators)),
            ("В сетевых парах со школами-лидерами", sum(1 for r in rows if r.partners)),
            ("Участвовали в круглых столах, семинарах, вебинарах",
             sum(1 for r in rows if any(r.by_kind.get(k) for k in GATHERING_KINDS))),
            ("Педагогов охвачено", sum(r.teachers for r in rows)),
            (f"Без мероприятий {QUIET_DAYS} дней и больше", sum(1 for r in rows if r.quiet)),
        ]


def school_year_start(day: dt.date) -> dt.date:
    """1 September of the school year ``day`` belongs to."""
    return dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def coverage(viewer: Viewer, municipality: Municipality, *, start: dt.date, end: dt.date,
             mine: bool = False) -> Coverage:
    """The coverage of ``municipality``'s schools in the system from ``start`` to ``end``.

    A curator sees their assigned schools only; ``mine`` counts only the events the viewer
    organised or recorded (a methodist's «мои школы»: the schools of those events).
    """
    as_of = min(end, timezone.localdate())
    official = official_list(municipality)
    inclusions = _inclusions(viewer, official, municipality)
    events = _held(start, end, viewer if mine else None)
    if mine and not viewer.curated_ids():
        worked = set(events.filter(school_id__in=[i.school_id for i in inclusions])
                     .values_list("school_id", flat=True))
        inclusions = [i for i in inclusions if i.school_id in worked]
    rows = {i.school_id: CoverageRow(i.school, i.get_category_display(), i.since_year)
            for i in inclusions}
    ids = list(rows)
    _assignments(rows, ids, as_of)
    for school_id, kind, count in (events.filter(school_id__in=ids)
                                   .values("school_id", "event__kind")
                                   .annotate(n=Count("event_id", distinct=True))
                                   .values_list("school_id", "event__kind", "n")):
        rows[school_id].by_kind[kind] = count
    _teachers(rows, ids, start, end, viewer if mine else None)
    _recency(rows, ids, as_of, viewer if mine else None)
    held_kinds = {k for r in rows.values() for k in r.by_kind}
    kinds = [(k.code, k.plural_ru) for k in EVENT_KINDS if k.code in held_kinds]
    for row in rows.values():
        row.by_kind_list = row.counts([code for code, _ in kinds])
    ordered = sorted(rows.values(), key=lambda r: natural_key(r.school.short_name))
    return Coverage(municipality, official, start, end, as_of, ordered, kinds, mine)


def _inclusions(viewer: Viewer, official: ApprovedList | None,
                municipality: Municipality) -> list[Inclusion]:
    if official is None:
        return []
    found = (Inclusion.objects.filter(approved_list=official, school__municipality=municipality)
             .select_related("school"))
    if not viewer.superuser and municipality.pk not in viewer.municipal_ids() \
            and municipality.region_id not in viewer.regional_ids():
        found = found.filter(school_id__in=viewer.curated_ids())  # a curator: their schools
    return list(found)


def _held(start: dt.date, end: dt.date, organiser: Viewer | None) -> Any:
    """Links of schools to events held in the period (optionally: the viewer's own events)."""
    links = EventSchool.objects.filter(
        event__status__in=HELD_STATUSES, event__starts_at__gte=_moment(start),
        event__starts_at__lt=_moment(end + dt.timedelta(days=1)))
    if organiser is not None:
        me = organiser.user.pk
        links = links.filter(Q(event__organiser_id=me) | Q(event__created_by_id=me))
    return links


def _assignments(rows: dict[int, CoverageRow], ids: list[int], day: dt.date) -> None:
    current = {"started_on__lte": day}
    for c in (Curatorship.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day),
                                         school_id__in=ids, **current)
              .select_related("curator").order_by("started_on", "pk")):
        rows[c.school_id].curators.append(c.curator.get_full_name() or c.curator.get_username())
    for p in (NetworkPair.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day),
                                         Q(low_school_id__in=ids) | Q(leader_school_id__in=ids),
                                         agreed_on__lte=day)
              .select_related("low_school", "leader_school").order_by("agreed_on", "pk")):
        if p.low_school_id in rows:
            rows[p.low_school_id].partners.append(p.leader_school.short_name)
        if p.leader_school_id in rows:
            rows[p.leader_school_id].partners.append(p.low_school.short_name)
    seen: set[tuple[int, int]] = set()
    for m in (CommunityMember.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=day),
                                             school_id__in=ids, joined_on__lte=day)
              .select_related("community").order_by("community__name")):
        if (m.school_id, m.community_id) not in seen:
            seen.add((m.school_id, m.community_id))
            rows[m.school_id].communities.append(m.community.name)


def _teachers(rows: dict[int, CoverageRow], ids: list[int], start: dt.date, end: dt.date,
              organiser: Viewer | None) -> None:
    """Distinct teachers per school: at a held event (not marked absent) or on a course."""
    present = EventParticipant.objects.filter(
        Q(attended__isnull=True) | Q(attended=True), school_id__in=ids,
        event__status__in=HELD_STATUSES, event__starts_at__gte=_moment(start),
        event__starts_at__lt=_moment(end + dt.timedelta(days=1)))
    if organiser is not None:
        me = organiser.user.pk
        present = present.filter(Q(event__organiser_id=me) | Q(event__created_by_id=me))
    pairs = set(present.values_list("school_id", "teacher_id").distinct())
    if organiser is None:
        pairs |= set(Course.objects.filter(teacher__school_id__in=ids, start__lte=end,
                                           end__gte=start)
                     .values_list("teacher__school_id", "teacher_id").distinct())
    counts: dict[int, int] = defaultdict(int)
    for school_id, _ in pairs:
        counts[school_id] += 1
    for school_id, count in counts.items():
        rows[school_id].teachers = count


def _recency(rows: dict[int, CoverageRow], ids: list[int], as_of: dt.date,
             organiser: Viewer | None) -> None:
    """The last visit and the last held event up to ``as_of``, in one query."""
    links = EventSchool.objects.filter(school_id__in=ids, event__status__in=HELD_STATUSES,
                                       event__starts_at__lt=_moment(as_of + dt.timedelta(days=1)))
    if organiser is not None:
        me = organiser.user.pk
        links = links.filter(Q(event__organiser_id=me) | Q(event__created_by_id=me))
    visit = Q(event__status="held", event__kind__in=VISIT_KINDS, event__online=False)
    for school_id, last_visit, last_event in (
            links.values("school_id").annotate(v=Max("event__starts_at", filter=visit),
                                              e=Max("event__starts_at"))
            .values_list("school_id", "v", "e")):
        row = rows[school_id]
        if last_visit is not None:
            row.last_visit = timezone.localtime(last_visit).date()
            row.days_since_visit = (as_of - row.last_visit).days
        row.last_event = timezone.localtime(last_event).date()
        row.quiet = (as_of - row.last_event).days >= QUIET_DAYS
