"""The recorded facts indicators are computed from, read for many schools and years at once.

One query per kind of fact whatever the number of schools (``values_list``, no model instances):
staff, participants of held support events, schools of held events, diagnostics with their
domain scores, mentorships, community memberships, network pairs, the official run's results per
work, roadmap measures (the programmes app — when it is absent or has no tables yet, the roadmap
indicators have no value rather than an error).

A **year** is the calendar year (seed 001's tables: «2019 год», «2020 год»); a school's staff of a
year are the teachers working on its last day (:func:`year_end`, or today for the current year).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from opora.glossary import EVENT_KINDS, HELD_STATUSES
from opora.web.analysis.models import RunSchoolStat
from opora.web.staff.models import DiagnosticScore, Teacher
from opora.web.support.models import (
    CommunityMember,
    EventParticipant,
    EventSchool,
    Mentorship,
    NetworkPair,
)

VISIT_KINDS = frozenset(k.code for k in EVENT_KINDS if k.visit)
GATHERING_KINDS = frozenset({"round_table", "seminar", "webinar"})  # seed 001
METHODIST_ORGANISERS = frozenset({"methodist", "coordinator"})


def year_end(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's staff and cumulative facts are counted on: 31 December, or today."""
    return min(dt.date(year, 12, 31), today or timezone.localdate())


def moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def overlaps(start: dt.date | None, end: dt.date | None, year: int) -> bool:
    """Whether a period from ``start`` to ``end`` (open when None) touches ``year``."""
    return (start is None or start <= dt.date(year, 12, 31)) and \
        (end is None or end >= dt.date(year, 1, 1))


@dataclass
class Facts:
    """Every fact of ``schools`` in ``years`` (and the year before the first, for dynamics)."""

    schools: list[int]
    years: list[int]
    staff: dict[int, list[tuple[int, dt.date | None, dt.date | None]]] = field(
        default_factory=lambda: defaultdict(list))  # school → (teacher, from, to)
    # (teacher, school, year, event kind, organiser kind, event, organiser school)
    present: list[tuple[int, int, int, str, str, int, int | None]] = field(default_factory=list)
    # (school, year, event kind, organiser kind, event)
    events: list[tuple[int, int, str, str, int]] = field(default_factory=list)
    # teacher → [(diagnostic, date, instrument, domain, score, max, level)]
    diagnostics: dict[int, list[tuple[Any, ...]]] = field(
        default_factory=lambda: defaultdict(list))
    # (mentor, mentor's school, mentee, mentee's school, from, to)
    mentorships: list[tuple[int, int, int, int, dt.date, dt.date | None]] = field(
        default_factory=list)
    members: list[tuple[int, int, dt.date, dt.date | None]] = field(default_factory=list)
    pairs: list[tuple[int, int, dt.date, dt.date | None, int]] = field(default_factory=list)
    # (pk, school, procedure, subject, grade, year, participants, gap, fail share)
    stats: list[tuple[Any, ...]] = field(default_factory=list)
    # (measure, school, deadline year, status)
    measures: list[tuple[int, int, int, str]] = field(default_factory=list)
    roadmap_approved: dict[int, dt.date] = field(default_factory=dict)  # school → first approval
    subjects: dict[int, list[str]] = field(default_factory=dict)  # teacher → subjects taught
    today: dt.date = field(default_factory=timezone.localdate)
    ends: dict[int, dt.date] = field(default_factory=dict)

    def end(self, year: int) -> dt.date:
        """:func:`year_end` with today read once per computation (it was 40 % of the time)."""
        if year not in self.ends:
            self.ends[year] = year_end(year, self.today)
        return self.ends[year]

    def staff_on(self, school: int, year: int) -> set[int]:
        day = self.end(year)
        return {t for t, start, end in self.staff.get(school, ())
                if (start is None or start <= day) and (end is None or end >= day)}


def load(schools: list[int], years: list[int], runs: dict[int, int | None]) -> Facts:
    """Read the facts; ``runs`` maps each school to its municipality's official run (or None)."""
    facts = Facts(list(schools), sorted(years))
    if not schools or not years:
        return facts
    first, last = min(years) - 1, max(years)
    start, stop = moment(dt.date(first, 1, 1)), moment(dt.date(last + 1, 1, 1))
    _staff(facts, schools)
    _events(facts, schools, start, stop)
    _diagnostics(facts, schools, year_end(last))
    _assignments(facts, schools, first, last)
    _stats(facts, runs, first, last)
    _measures(facts, schools, first, last)
    return facts


def _staff(facts: Facts, schools: list[int]) -> None:
    for teacher, school, start, end, subjects in (
            Teacher.objects.filter(school_id__in=schools)
            .values_list("pk", "school_id", "active_from", "active_to", "subjects")):
        facts.staff[school].append((teacher, start, end))
        facts.subjects[teacher] = subjects or []


def _events(facts: Facts, schools: list[int], start: dt.datetime, stop: dt.datetime) -> None:
    held = Q(event__status__in=HELD_STATUSES, event__starts_at__gte=start,
             event__starts_at__lt=stop)
    facts.present = list(
        EventParticipant.objects.filter(held, Q(attended__isnull=True) | Q(attended=True),
                                        school_id__in=schools)
        .annotate(year=ExtractYear("event__starts_at"))  # in the site's time zone
        .values_list("teacher_id", "school_id", "year", "event__kind", "event__organiser_kind",
                     "event_id", "event__organiser_school_id"))
    facts.events = list(
        EventSchool.objects.filter(held, school_id__in=schools)
        .annotate(year=ExtractYear("event__starts_at"))
        .values_list("school_id", "year", "event__kind", "event__organiser_kind", "event_id"))


def _diagnostics(facts: Facts, schools: list[int], until: dt.date) -> None:
    for row in (DiagnosticScore.objects.filter(diagnostic__teacher__school_id__in=schools,
                                               diagnostic__date__lte=until)
                .values_list("diagnostic__teacher_id", "diagnostic_id", "diagnostic__date",
                             "diagnostic__instrument", "domain", "score", "max_score", "level")
                .order_by("diagnostic__date", "diagnostic_id")):
        facts.diagnostics[row[0]].append(row[1:])


def _assignments(facts: Facts, schools: list[int], first: int, last: int) -> None:
    touches = Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(first, 1, 1))
    facts.mentorships = list(
        Mentorship.objects.filter(touches, Q(mentor__school_id__in=schools)
                                  | Q(mentee__school_id__in=schools),
                                  started_on__lte=dt.date(last, 12, 31))
        .values_list("mentor_id", "mentor__school_id", "mentee_id", "mentee__school_id",
                     "started_on", "ended_on"))
    facts.members = list(
        CommunityMember.objects.filter(Q(left_on__isnull=True)
                                       | Q(left_on__gte=dt.date(first, 1, 1)),
                                       school_id__in=schools,
                                       joined_on__lte=dt.date(last, 12, 31))
        .values_list("teacher_id", "school_id", "joined_on", "left_on"))
    facts.pairs = list(
        NetworkPair.objects.filter(touches, Q(low_school_id__in=schools)
                                   | Q(leader_school_id__in=schools),
                                   agreed_on__lte=dt.date(last, 12, 31))
        .values_list("low_school_id", "leader_school_id", "agreed_on", "ended_on", "pk"))


def _stats(facts: Facts, runs: dict[int, int | None], first: int, last: int) -> None:
    by_run: dict[int, list[int]] = defaultdict(list)
    for school, run in runs.items():
        if run is not None:
            by_run[run].append(school)
    for run, members in by_run.items():
        facts.stats += list(
            RunSchoolStat.objects.filter(run_id=run, school_id__in=members,
                                         year__gte=first, year__lte=last)
            .values_list("pk", "school_id", "procedure", "subject", "grade", "year",
                         "participants", "gap_pct", "fail_share_pct"))


def _measures(facts: Facts, schools: list[int], first: int, last: int) -> None:
    """Measures of roadmaps with an approved version (the programmes app; absent → none)."""
    if not apps.is_installed("opora.web.programmes"):
        return
    try:
        measure = apps.get_model("programmes", "Measure")
        version = apps.get_model("programmes", "RoadmapVersion")
    except LookupError:  # pragma: no cover — an older programmes app
        return
    for school, approved in (version.objects.filter(roadmap__school_id__in=schools)
                             .values_list("roadmap__school_id", "approved_at")
                             .order_by("approved_at")):
        facts.roadmap_approved.setdefault(school, timezone.localtime(approved).date())
    for pk, school, deadline, status in (
            measure.objects.filter(task__goal__problem__roadmap__school_id__in=schools,
                                   task__goal__problem__roadmap__versions__isnull=False,
                                   deadline__year__gte=first, deadline__year__lte=last)
            .values_list("pk", "task__goal__problem__roadmap__school_id", "deadline",
                         "status").distinct()):
        if deadline is not None:
            facts.measures.append((pk, school, deadline.year, status))
