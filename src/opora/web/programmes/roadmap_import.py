"""Loading a roadmap workbook into a roadmap, and exporting a roadmap back to it.

The reader (:mod:`opora.formats.templates.roadmap`) reads and checks the rows; here the
responsible people are found among the school's staff (by name or code, a working teacher first)
and the deadlines and target years must lie in the programme's period. Any problem → nothing is
changed, and the problems table says sheet, row, column and why. Otherwise the roadmap becomes
the file's plan in one transaction: items are matched by their text under the same parent (a
measure keeps its id, its evidence and its history), new ones are created, those not in the file
are deleted; an unchanged item is not written, so loading the same plan again changes nothing.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile
from opora.formats.templates.roadmap import (
    MeasurePlan,
    RoadmapPlan,
    RoadmapRows,
    factor_names,
    format_targets,
    measure_status_name,
    read_roadmap,
    write_roadmap,
)
from opora.glossary import INDICATOR_DIRECTIONS, UNITS, flag_label, programme_name
from opora.web.programmes.models import (
    Measure,
    Roadmap,
    RoadmapGoal,
    RoadmapImport,
    RoadmapIndicator,
    RoadmapProblem,
    RoadmapTask,
)
from opora.web.programmes.models.roadmaps import DONE
from opora.web.programmes.profile_import import sha256_of
from opora.web.programmes.selectors.roadmaps import tree
from opora.web.programmes.services import audit, saved
from opora.web.programmes.services.roadmaps import flag_evidence, require_editor
from opora.web.staff.models import Teacher

TEACHER_NOT_FOUND, OUT_OF_PERIOD, UNREADABLE = ("teacher_not_found", "out_of_period",
                                               "unreadable_file")


def _teachers(roadmap: Roadmap) -> dict[str, Teacher]:
    found: dict[str, Teacher] = {}
    for teacher in Teacher.objects.filter(school=roadmap.school).order_by("active_to", "pk"):
        found.setdefault(normalize_label(teacher.name), teacher)  # working ones (no end) first
    return found


def _check(plan: RoadmapPlan, roadmap: Roadmap, file: str) -> tuple[dict[int, Teacher],
                                                                      list[Problem]]:
    teachers, people = _teachers(roadmap), {}
    problems = list(plan.complaints)
    for task in plan.tasks():
        for indicator in task.indicators:
            for year in sorted(set(indicator.targets) - set(roadmap.years)):
                problems.append(indicator.row.problem(
                    file, "targets", f"цель на {year} год — вне периода программы "
                    f"({roadmap.period_text})", OUT_OF_PERIOD))
        for measure in task.measures:
            if not roadmap.period_start <= measure.deadline <= roadmap.period_end:
                problems.append(measure.row.problem(
                    file, "deadline", f"срок {measure.deadline:%d.%m.%Y} — вне периода "
                    f"программы ({roadmap.period_text})", OUT_OF_PERIOD))
            teacher = teachers.get(normalize_label(measure.responsible))
            if teacher is None:
                problems.append(measure.row.problem(
                    file, "responsible", f"«{measure.responsible}» нет в списке педагогов школы",
                    TEACHER_NOT_FOUND))
            else:
                people[id(measure)] = teacher
    return people, problems


class _Apply:
    """Make the roadmap the plan: match by text, write only what changed."""

    def __init__(self, by: Any, roadmap: Roadmap, people: dict[int, Teacher]) -> None:
        self.by, self.roadmap, self.people = by, roadmap, people
        self.counts: Counter[str] = Counter()

    def _write(self, record: Any, values: dict[str, Any]) -> Any:
        if record.pk and all(getattr(record, k) == v for k, v in values.items()):
            self.counts["unchanged"] += 1
            return record
        self.counts["updated" if record.pk else "created"] += 1
        for name, value in values.items():
            setattr(record, name, value)
        return saved(record, self.by)

    def _drop(self, records: Mapping[str, Model]) -> None:
        for record in records.values():
            self.counts["deleted"] += 1
            audit(record, self.by)
            record.delete()

    def run(self, plan: RoadmapPlan) -> None:
        problems = {normalize_label(p.title): p for p in self.roadmap.problems.all()}
        for position, p in enumerate(plan.problems, start=1):
            record = problems.pop(normalize_label(p.title), None) or RoadmapProblem(
                roadmap=self.roadmap)
            values = {"position": position, "title": p.title, "risk_factors": p.risk_factors,
                      "flags": p.flags}
            if not record.pk or record.flags != p.flags:
                values["flag_evidence"] = flag_evidence(self.roadmap.school, p.flags)
            problem = self._write(record, values)
            goals = {normalize_label(g.title): g for g in problem.goals.all()}
            for g_pos, g in enumerate(p.goals, start=1):
                goal = self._write(goals.pop(normalize_label(g.title), None)
                                   or RoadmapGoal(problem=problem),
                                   {"position": g_pos, "title": g.title})
                tasks = {normalize_label(t.title): t for t in goal.tasks.all()}
                for t_pos, t in enumerate(g.tasks, start=1):
                    task = self._write(tasks.pop(normalize_label(t.title), None)
                                       or RoadmapTask(goal=goal),
                                       {"position": t_pos, "title": t.title})
                    self._task(task, t)
                self._drop(tasks)
            self._drop(goals)
        self._drop(problems)

    def _task(self, task: Any, plan: Any) -> None:
        indicators = {normalize_label(i.name): i for i in task.indicators.all()}
        for pos, i in enumerate(plan.indicators, start=1):
            self._write(indicators.pop(normalize_label(i.name), None)
                        or RoadmapIndicator(task=task), {
                "position": pos, "name": i.name, "unit": i.unit, "direction": i.direction,
                "baseline": i.baseline, "baseline_year": i.baseline_year,
                "targets": {str(y): v for y, v in sorted(i.targets.items())},
                "source": i.source})
        self._drop(indicators)
        measures = {normalize_label(m.title): m for m in task.measures.all()}
        for pos, m in enumerate(plan.measures, start=1):
            record = measures.pop(normalize_label(m.title), None) or Measure(task=task)
            self._write(record, self._measure_values(record, m, pos))
        self._drop(measures)

    def _measure_values(self, record: Measure, m: MeasurePlan, pos: int) -> dict[str, Any]:
        values = {"position": pos, "title": m.title, "deadline": m.deadline,
                  "responsible": self.people[id(m)], "status": m.status, "comment": m.comment}
        if m.status == DONE and record.done_on is None:
            values["done_on"] = m.deadline
        elif m.status != DONE:
            values["done_on"] = None
        return values


def import_roadmap(*, by: Any, roadmap: Roadmap, path: Path, name: str = "") -> RoadmapImport:
    """Load the workbook at ``path`` into ``roadmap``: all of it or nothing."""
    require_editor(by, roadmap)
    name = name or path.name
    base = {"roadmap": roadmap, "imported_by": by, "original_name": name[:255],
            "sha256": sha256_of(path)}
    try:
        plan = read_roadmap(path)
    except UnreadableFile as exc:
        return _failed(base, [Problem(name, str(exc), UNREADABLE)])
    people, problems = _check(plan, roadmap, name)
    if problems:
        return _failed(base, problems)
    with transaction.atomic():
        work = _Apply(by, roadmap, people)
        work.run(plan)
        return RoadmapImport.objects.create(status=RoadmapImport.SUCCEEDED,
                                            counts=dict(work.counts), **base)


def _failed(base: dict[str, Any], problems: list[Problem]) -> RoadmapImport:
    return RoadmapImport.objects.create(status=RoadmapImport.FAILED,
                                        problems=[p.as_row() for p in problems], **base)


def export_rows(roadmap: Roadmap) -> RoadmapRows:
    """The roadmap as the workbook's rows (the same columns the reader reads)."""
    rows = RoadmapRows(title=f"{roadmap.school.short_name}: {roadmap.title}")
    for p in tree(roadmap):
        for g in p.goals.all():
            for t in g.tasks.all():
                rows.problems.append([p.title, factor_names(p.risk_factors),
                                      "; ".join(flag_label(f) for f in p.flags), g.title,
                                      t.title])
                for i in t.indicators.all():
                    rows.indicators.append([
                        t.title, i.name, programme_name(UNITS, i.unit) if i.unit else "",
                        programme_name(INDICATOR_DIRECTIONS, i.direction).lower(), i.baseline,
                        i.baseline_year,
                        format_targets({int(y): float(v) for y, v in i.targets.items()}),
                        i.source])
                for m in t.measures.all():
                    rows.measures.append([t.title, m.title, m.deadline,
                                          m.responsible.name if m.responsible else "",
                                          measure_status_name(m.status), m.comment])
    return rows


def export_roadmap(roadmap: Roadmap) -> bytes:
    buffer = io.BytesIO()
    write_roadmap(buffer, export_rows(roadmap))
    return buffer.getvalue()
