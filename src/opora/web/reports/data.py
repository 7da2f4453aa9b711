"""What a report says, as plain data: the same numbers the pages and the API show (issue 17).

A report's context is a ``dict`` of strings, numbers, lists of rows and :class:`Chart` values;
the DOCX (:mod:`.docx`), HTML/PDF (:mod:`.pdf`) and XLSX (:mod:`.xlsx`) renderers all read the
same context, and ``docs/reports.md`` lists every key (:data:`opora.web.reports.fields.FIELDS`).

The year's identification is the **approved official list** of that year covering the
municipality (``analysis.official``: drafts never reach a document); its run gives the flags with
evidence, the schools' results and the context for the typology chart. Support work is that of
the school year after the list (1 September of the list's year to 31 August of the next): the
list is approved on results of the spring, and the help follows it. Sections whose records are
still being built by other apps (indicators, recommendations, decisions, effectiveness) come from
:mod:`.sections`: a missing one says «нет данных».
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from opora.glossary import HELD_STATUSES, flag_label, flag_rank
from opora.numbers import number, percent_points
from opora.web.accounts.scope import Viewer
from opora.web.analysis.labels import procedure_name, subject_name
from opora.web.analysis.models import ApprovedList, Inclusion, RunContext, RunFlag, RunSchoolStat
from opora.web.analysis.official import current_lists, list_changes, school_list_history
from opora.web.charts import school_works_chart
from opora.web.charts.typology import typology_chart, typology_gap_points
from opora.web.core.ordering import natural_key
from opora.web.reports import sections
from opora.web.schools.models import Municipality, School
from opora.web.staff.dynamics import dynamics_by_teacher, school_dynamics
from opora.web.staff.models import Teacher
from opora.web.support.coverage import coverage
from opora.web.support.models import EventSchool

NONE = "—"


class ReportDataMissing(Exception):
    """The data a report needs is not there; the message says so in Russian."""


@dataclass(frozen=True)
class Chart:
    """A chart in a report: a Vega-Lite spec of ``opora.web.charts`` and its printed width."""

    spec: dict[str, Any]
    width_mm: int = 160


def _date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return NONE
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return day.strftime("%d.%m.%Y")


def _names(schools: list[School]) -> str:
    return ", ".join(s.short_name for s in sorted(schools, key=lambda s: natural_key(
        s.short_name))) or NONE


def year_list(municipality: Municipality, year: int) -> ApprovedList:
    """The approved official list of ``year`` covering the municipality, or ReportDataMissing."""
    found = next((a for a in current_lists(municipality) if a.year == year), None)
    if found is None:
        raise ReportDataMissing(
            f"Нет утверждённого списка школ за {year} год для «{municipality.name}»: "
            "утвердите расчёт на странице «Расчёты», затем постройте отчёт.")
    return found


def common(municipality: Municipality, year: int) -> dict[str, Any]:
    return {"municipality": municipality.name, "region": municipality.region.name,
            "year": year, "today": _date(timezone.localdate()),
            "organisation": f"Управление образования ({municipality.name})"}


# --- the note -------------------------------------------------------------------------------

def note_context(viewer: Viewer, municipality: Municipality, year: int) -> dict[str, Any]:
    """Everything the analytical note for ``year`` shows (ReportDataMissing without a list)."""
    approved = year_list(municipality, year)
    inclusions = list(Inclusion.objects.filter(approved_list=approved,
                                               school__municipality=municipality)
                      .select_related("school").order_by("school__short_name"))
    inclusions.sort(key=lambda i: natural_key(i.school.short_name))
    schools = {i.school_id: i.school for i in inclusions}
    context = common(municipality, year)
    context.update(_identification(approved, inclusions))
    context.update(_changes(approved, municipality))
    context["results"] = _results(approved, schools)
    context["typology_chart"] = _typology(approved, municipality)
    context["support"] = _support(viewer, municipality, year, set(schools))
    context["staff"] = _staff(list(schools.values()), year)
    context["years"] = [year - 2, year - 1, year]  # the indicators' columns (providers.py)
    context.update(sections.extra_sections(municipality, year))
    return context


def _identification(approved: ApprovedList, inclusions: list[Inclusion]) -> dict[str, Any]:
    by_category: dict[str, int] = defaultdict(int)
    for inclusion in inclusions:
        by_category[inclusion.get_category_display()] += 1
    rows = [{"n": n, "name": i.school.short_name, "full_name": i.school.full_name,
             "category": i.get_category_display(), "since_year": i.since_year,
             "relapse": "да" if i.relapse else "", "evidence": i.evidence}
            for n, i in enumerate(inclusions, 1)]
    return {"list_basis": approved.basis, "list_approved": _date(approved.approved_at),
            "total_schools": len(inclusions),
            "counts": [{"category": c, "count": n} for c, n in sorted(by_category.items())],
            "schools": rows}


def _changes(approved: ApprovedList, municipality: Municipality) -> dict[str, Any]:
    changes = list_changes(approved)
    ids = set(changes.entered) | set(changes.left) | set(changes.exited)
    named = {s.pk: s for s in School.objects.filter(pk__in=ids, municipality=municipality)}
    pick = lambda found: [named[pk] for pk in found if pk in named]  # noqa: E731
    return {"entered": _names(pick(changes.entered)), "left": _names(pick(changes.left)),
            "exited": _names(pick(changes.exited)),
            "entered_count": len(pick(changes.entered)), "left_count": len(pick(changes.left))}


def _results(approved: ApprovedList, schools: dict[int, School]) -> list[dict[str, Any]]:
    """The listed schools' results in the list's year, against the region (the run's cells)."""
    stats = (RunSchoolStat.objects.filter(run=approved.run, year=approved.year,
                                          school_id__in=list(schools))
             .values("school_id", "procedure", "subject", "grade", "participants", "mean_pct",
                     "region_mean_pct", "gap_pct"))
    rows = [{"school": schools[s["school_id"]].short_name,
             "procedure": procedure_name(s["procedure"]), "subject": subject_name(s["subject"]),
             "grade": s["grade"], "participants": s["participants"] or 0,
             "mean_pct": number(s["mean_pct"]), "region_pct": number(s["region_mean_pct"]),
             "gap": percent_points(s["gap_pct"]) if s["gap_pct"] is not None else NONE,
             "gap_value": s["gap_pct"]}
            for s in stats]
    return sorted(rows, key=lambda r: (natural_key(r["school"]), r["procedure"], r["subject"],
                                       r["grade"]))


def _typology(approved: ApprovedList, municipality: Municipality) -> Chart | None:
    """The overview's typology chart (context against the gap to the region) of the list's run."""
    schools = {s.pk: s for s in School.objects.filter(municipality=municipality)}
    context = [{"school_key": schools[c.school_id].key, "year": c.year,
                "context_index": c.context_index, "result_gap_pct": c.result_gap_pct}
               for c in RunContext.objects.filter(run=approved.run, year=approved.year,
                                                  school_id__in=list(schools))]
    flags = [{"school_key": schools[sid].key, "year": year, "flag": code}
             for sid, code, year in RunFlag.objects.filter(
                 run=approved.run, year=approved.year, school_id__in=list(schools))
             .values_list("school_id", "flag", "year")]
    points = typology_gap_points(context, flags, year=approved.year,
                                 names={s.key: s.short_name for s in schools.values()})
    if not points:
        return None
    return Chart(typology_chart(points, title=f"Контекст и результат, {approved.year}", y_rule=0,
                                y_title="Разница с регионом, п. п."))


def support_period(year: int) -> tuple[dt.date, dt.date]:
    """The school year after the list of ``year``: 1 September to 31 August."""
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def _support(viewer: Viewer, municipality: Municipality, year: int,
             listed: set[int]) -> dict[str, Any]:
    """«Кто получил помощь» over the school year after the list, for the list's schools."""
    start, end = support_period(year)
    found = coverage(viewer, municipality, start=start, end=end)
    rows = [r for r in found.rows if r.school.pk in listed]
    table = [{"name": r.school.short_name, "category": r.category,
              "curators": ", ".join(r.curators) or NONE,
              "partners": ", ".join(r.partners) or NONE, "events": r.events,
              "teachers": r.teachers, "last_visit": _date(r.last_visit)} for r in rows]
    totals = [{"name": name, "value": value} for name, value in found.totals()]
    held = EventSchool.objects.filter(
        school_id__in=list(listed), event__status__in=HELD_STATUSES,
        event__starts_at__date__gte=start, event__starts_at__date__lte=end)
    return {"period": f"{_date(start)} — {_date(end)}", "rows": table, "totals": totals,
            "events": held.values("event_id").distinct().count(),
            "helped": sum(1 for r in rows if r.events),
            "teachers": sum(r.teachers for r in rows)}


def _staff(schools: list[School], year: int) -> dict[str, Any]:
    """Teachers of the listed schools on 31 August after the list: diagnosed, positive dynamics."""
    day = support_period(year)[1]
    teachers = list(Teacher.objects.filter(school__in=schools).working_on(day))
    counted = school_dynamics(teachers, dynamics_by_teacher([t.pk for t in teachers], until=day))
    return {"teachers": counted.staff, "diagnosed": counted.diagnosed,
            "diagnosed_pct": number(counted.diagnosed_pct),
            "positive": counted.positive, "compared": counted.compared,
            "positive_pct": number(counted.positive_pct)}


# --- the protocol ----------------------------------------------------------------------------

AGENDA = (
    "Муниципальный мониторинг показателей системы работы со школами с низкими образовательными "
    "результатами и школами, функционирующими в неблагоприятных социальных условиях.",
    "Разработка и принятие комплекса мер, мероприятий и управленческих решений, направленных на "
    "совершенствование системы работы со школами с низкими образовательными результатами.",
    "Результаты мониторинга.",
)


@dataclass(frozen=True)
class Meeting:
    """What only the secretary knows: the meeting's number, date, place and people."""

    number: str = ""
    date: dt.date | None = None
    place: str = ""
    attendees: tuple[str, ...] = ()
    speakers: str = ""
    chair: str = ""
    secretary: str = ""


def protocol_context(viewer: Viewer, municipality: Municipality, year: int,
                     meeting: Meeting) -> dict[str, Any]:
    """The working group's protocol (seed 001's structure) over the note's data."""
    context = note_context(viewer, municipality, year)
    support = context["support"]
    heard = [
        f"По результатам оценочных процедур {year} года утверждён список школ: "
        f"{context['total_schools']} (основание: {context['list_basis']}).",
        f"Вошли в список впервые или вернулись: {context['entered']}. "
        f"Вышли из списка: {context['left']}.",
        f"За период {support['period']} проведено мероприятий сопровождения: "
        f"{support['events']}; помощь получили школ: {support['helped']} из "
        f"{context['total_schools']}; педагогов охвачено: {support['teachers']}.",
        f"Диагностику профессиональных дефицитов прошли {context['staff']['diagnosed']} из "
        f"{context['staff']['teachers']} педагогов школ списка "
        f"({context['staff']['diagnosed_pct']} %).",
    ]
    context.update({
        "number": meeting.number or NONE, "date": _date(meeting.date or timezone.localdate()),
        "place": meeting.place or NONE, "attendees": list(meeting.attendees),
        "speakers": meeting.speakers or NONE, "chair": meeting.chair or NONE,
        "secretary": meeting.secretary or NONE, "agenda": list(AGENDA), "heard": heard,
        "decided": _decided(context)})
    return context


def _decided(context: dict[str, Any]) -> list[str]:
    """The decisions: those recorded (the decisions app), else seed 001's standing ones with the
    names filled in from the data."""
    recorded = context["decisions"]
    if recorded["available"]:
        return [row["text"] for row in recorded["rows"]]
    quiet = [r["name"] for r in context["support"]["rows"] if r["events"] == 0]
    found = ["Продолжить работу со школами с низкими образовательными результатами.",
             "Подготовить адресные методические рекомендации педагогам и руководителям школ "
             "списка."]
    if quiet:
        found.append("Организовать методическое сопровождение школ, не получивших помощи за "
                     f"период: {', '.join(quiet)}.")
    found.append("Опубликовать аналитическую справку в разделе МСОКО сайта Управления "
                 "образования.")
    return found


# --- a school's profile ---------------------------------------------------------------------

def school_context(school: School) -> dict[str, Any]:
    """The card as a document: the lists, flags with evidence, results, charts, staff."""
    history = school_list_history(school)
    listed = next((h for h in history), None)
    context = common(school.municipality, listed["year"] if listed else timezone.localdate().year)
    context["school"] = {"name": school.short_name, "full_name": school.full_name,
                         "key": school.key, "number": school.number or ""}
    context["history"] = [{"year": h["year"], "status": (
        f"в списке: {h['category']}, с {h['since_year']} г." + (" (повторно)" if h["relapse"]
                                                              else "")
        if h["on"] else ("вышла из системы" if h["exited"] else "не в списке"))}
        for h in history]
    context["flags"] = _school_flags(history, school)
    stats = _school_stats(history, school)
    context["results"] = stats["rows"]
    context["results_chart"] = stats["chart"]
    teachers = list(Teacher.objects.filter(school=school).working_on(timezone.localdate()))
    counted = school_dynamics(teachers, dynamics_by_teacher([t.pk for t in teachers]))
    context["staff"] = {"teachers": counted.staff, "diagnosed": counted.diagnosed,
                        "diagnosed_pct": number(counted.diagnosed_pct)}
    return context


def _school_flags(history: list[dict[str, Any]], school: School) -> list[dict[str, Any]]:
    if not history:
        return []
    run = history[0]["list"].run
    flags = RunFlag.objects.filter(run=run, school=school).values_list("flag", "year", "evidence")
    return [{"flag": flag_label(code), "year": year, "evidence": evidence}
            for code, year, evidence in sorted(flags, key=lambda f: (flag_rank(f[0]), -f[1]))]


def _school_stats(history: list[dict[str, Any]], school: School) -> dict[str, Any]:
    if not history:
        return {"rows": [], "chart": None}
    stats: list[dict[str, Any]] = [dict(s) for s in RunSchoolStat.objects.filter(
        run=history[0]["list"].run, school=school).values()]
    rows = [{"year": s["year"], "procedure": procedure_name(s["procedure"]),
             "subject": subject_name(s["subject"]), "grade": s["grade"],
             "participants": s["participants"] or 0, "mean_pct": number(s["mean_pct"]),
             "region_pct": number(s["region_mean_pct"]),
             "gap": percent_points(s["gap_pct"]) if s["gap_pct"] is not None else NONE}
            for s in sorted(stats, key=lambda s: (-s["year"], s["procedure"], s["subject"],
                                                  s["grade"]))]
    cells: dict[tuple[str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for s in stats:
        cells[(s["procedure"], s["subject"], s["grade"])].append(s)
    works = [(f"{procedure_name(p)}, {subject_name(sub).lower()}, {g} класс", found)
             for (p, sub, g), found in sorted(cells.items())
             if len({r["year"] for r in found}) >= 2]
    title = "Результат школы и региона по годам, % от максимума"
    chart = Chart(school_works_chart(works, title=title)) if works else None
    return {"rows": rows, "chart": chart}
