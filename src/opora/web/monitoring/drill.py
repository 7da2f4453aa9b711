"""«Что посчитано»: the facts behind one number of an indicator table.

The numerator's facts first (each teacher with the events of the year they attended, each
school, each work's result with its participants and share of «2», each roadmap measure, each
network pair), then those counted only in the denominator.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from opora.catalog import PROCEDURES, SUBJECTS
from opora.glossary import HELD_STATUSES
from opora.numbers import number
from opora.web.analysis.models import RunSchoolStat
from opora.web.monitoring.facts import moment
from opora.web.monitoring.formulas import Counted
from opora.web.schools.models import School
from opora.web.staff.models import Teacher
from opora.web.support.models import EventParticipant, NetworkPair


@dataclass
class Fact:
    label: str
    school: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (text, url)


def _teachers(ids: set[int], year: int) -> dict[int, Fact]:
    found = {t.pk: Fact(t.name, t.school.short_name) for t in
             Teacher.objects.filter(pk__in=ids).select_related("school")}
    start, stop = moment(dt.date(year, 1, 1)), moment(dt.date(year + 1, 1, 1))
    for p in (EventParticipant.objects.filter(
            Q(attended__isnull=True) | Q(attended=True), teacher_id__in=ids,
            event__status__in=HELD_STATUSES, event__starts_at__gte=start,
            event__starts_at__lt=stop).select_related("event").order_by("event__starts_at")):
        day = timezone.localtime(p.event.starts_at).strftime("%d.%m.%Y")
        found[p.teacher_id].notes.append((f"{day} {p.event.kind_label}: {p.event.topic}",
                                          f"/support/events/{p.event_id}/"))
    return found


def _schools(ids: set[int]) -> dict[int, Fact]:
    return {s.pk: Fact(s.short_name, s.municipality.name) for s in
            School.objects.filter(pk__in=ids).select_related("municipality")}


def _results(ids: set[int]) -> dict[int, Fact]:
    found = {}
    for r in RunSchoolStat.objects.filter(pk__in=ids).select_related("school"):
        fail = number(r.fail_share_pct)
        found[r.pk] = Fact(f"{_procedure(r.procedure)}, {_subject(r.subject)}, "
                           f"{r.grade} класс", r.school.short_name,
                           [(f"участников {r.participants}, доля «2» {fail} %", "")])
    return found


def _procedure(code: str) -> str:
    found = PROCEDURES.get(code)
    return found.name_ru if found else code


def _subject(code: str) -> str:
    found = SUBJECTS.get(code)
    return found.name_ru if found else code


def _measures(ids: set[int]) -> dict[int, Fact]:
    measure = apps.get_model("programmes", "Measure")
    return {m.pk: Fact(m.title, "", [(f"срок {m.deadline:%d.%m.%Y}, {m.get_status_display()}",
                                      "")])
            for m in measure.objects.filter(pk__in=ids)}


def _pairs(ids: set[int]) -> dict[int, Fact]:
    return {p.pk: Fact(f"{p.low_school.short_name} — {p.leader_school.short_name}", "",
                       [(f"с {p.agreed_on:%d.%m.%Y}", "")])
            for p in NetworkPair.objects.filter(pk__in=ids).select_related("low_school",
                                                                           "leader_school")}


def explain(counted: Counted, year: int) -> dict[str, Any]:
    """The facts of ``counted``: ``counted`` (numerator) and ``only_base`` (denominator only)."""
    base = set(counted.base or ()) - set(counted.facts)
    ids = set(counted.facts) | base
    loader = {"teacher": lambda: _teachers(ids, year), "school": lambda: _schools(ids),
              "result": lambda: _results(ids), "measure": lambda: _measures(ids),
              "pair": lambda: _pairs(ids)}.get(counted.kind)
    found: dict[int, Fact] = loader() if loader is not None else {}
    by_label: dict[str, list[Fact]] = defaultdict(list)
    for pk in ids:
        if pk in found:
            by_label["counted" if pk in counted.facts else "only_base"].append(found[pk])
    return {key: sorted(by_label[key], key=lambda f: (f.school, f.label))
            for key in ("counted", "only_base")}
