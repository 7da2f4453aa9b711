"""Writing a roadmap: its items, the execution of its measures, comments, sending it for review
and approving it.

The plan (problems, goals, tasks, indicators, measures) is edited by the school's administrator
or the coordinator, except while it is on review (``submitted``). Hard errors are refused at
their field (a share outside 0–100 %, a responsible person not of the school's staff, a target
year that is not a year); what is only missing (a deadline, a responsible person, a factor of
high risk without a goal …) is the completeness check's (:mod:`opora.web.programmes.checks`),
shown while editing and enforced when sending for review. A problem linked to flags keeps their
evidence from the official list as it was when linked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from opora.glossary import FLAG_BY_CODE, RISK_FACTORS, UNITS, flag_label
from opora.numbers import number
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.models import RunFlag
from opora.web.analysis.official import official_list
from opora.web.programmes.checks import completeness
from opora.web.programmes.models import (
    Measure,
    MeasureEvidence,
    Roadmap,
    RoadmapComment,
    RoadmapGoal,
    RoadmapIndicator,
    RoadmapProblem,
    RoadmapTask,
)
from opora.web.programmes.models.roadmaps import DONE, SUBMITTED
from opora.web.programmes.roadmap_diff import snapshot
from opora.web.programmes.selectors.profiles import high_risk_factors
from opora.web.programmes.selectors.roadmaps import tree
from opora.web.programmes.services import audit, saved
from opora.web.schools.models import School
from opora.web.staff.models import Teacher

SHARE_UNITS = frozenset(u.code for u in UNITS if u.share)
FACTORS = frozenset(f.code for f in RISK_FACTORS)
EDITORS = "Дорожную карту ведут руководитель школы и координатор муниципалитета."
LOCKED = ("Дорожная карта на экспертизе: план можно менять после решения координатора. "
          "Отмечать выполнение мероприятий можно и сейчас.")


def require_editor(by: Any, roadmap: Roadmap, *, plan: bool = True) -> None:
    Viewer.of(by).require(Action.EDIT_PROGRAMME, roadmap.school, EDITORS)
    if plan and roadmap.status == SUBMITTED:
        raise PermissionDenied(LOCKED)


@transaction.atomic
def roadmap_create(*, by: Any, school: School, title: str, first_year: int,
                   last_year: int) -> Roadmap:
    Viewer.of(by).require(Action.EDIT_PROGRAMME, school, EDITORS)
    return saved(Roadmap(school=school, title=title.strip(), first_year=first_year,
                         last_year=last_year, created_by=by), by)


@transaction.atomic
def roadmap_update(*, by: Any, roadmap: Roadmap, title: str, first_year: int,
                   last_year: int) -> Roadmap:
    require_editor(by, roadmap)
    roadmap.title, roadmap.first_year, roadmap.last_year = title.strip(), first_year, last_year
    return saved(roadmap, by)


def flag_evidence(school: School, flags: list[str]) -> str:
    """The evidence of the school's ``flags`` in the official list, as a coordinator reads it."""
    found = official_list(school.municipality)
    if found is None or not flags:
        return ""
    rows = RunFlag.objects.filter(run_id=found.run_id, school=school, year=found.year,
                                  flag__in=flags).order_by("flag").values_list("flag", "evidence")
    return "\n".join(f"{flag_label(flag)} ({found.year}): {text}" for flag, text in rows)


@transaction.atomic
def problem_save(*, by: Any, roadmap: Roadmap, title: str, risk_factors: list[str],
                 flags: list[str], problem: RoadmapProblem | None = None) -> RoadmapProblem:
    require_editor(by, roadmap)
    unknown = [f for f in risk_factors if f not in FACTORS] + [
        f for f in flags if f not in FLAG_BY_CODE]
    if unknown:
        raise ValidationError({"risk_factors": f"Неизвестные коды: {', '.join(unknown)}."})
    problem = problem or RoadmapProblem(roadmap=roadmap, position=roadmap.problems.count() + 1)
    if list(problem.flags) != list(flags) or not problem.pk:
        problem.flag_evidence = flag_evidence(roadmap.school, flags)
    problem.title, problem.risk_factors, problem.flags = title.strip(), risk_factors, flags
    return saved(problem, by)


@transaction.atomic
def goal_save(*, by: Any, problem: RoadmapProblem, title: str,
              goal: RoadmapGoal | None = None) -> RoadmapGoal:
    require_editor(by, problem.roadmap)
    goal = goal or RoadmapGoal(problem=problem, position=problem.goals.count() + 1)
    goal.title = title.strip()
    return saved(goal, by)


@transaction.atomic
def task_save(*, by: Any, goal: RoadmapGoal, title: str,
              task: RoadmapTask | None = None) -> RoadmapTask:
    require_editor(by, goal.problem.roadmap)
    task = task or RoadmapTask(goal=goal, position=goal.tasks.count() + 1)
    task.title = title.strip()
    return saved(task, by)


def indicator_hard_problems(unit: str, baseline: float | None,
                            targets: dict[int, float]) -> dict[str, str]:
    """What an indicator form refuses at once: a share outside 0–100 %."""
    found = {}
    if unit in SHARE_UNITS:
        if baseline is not None and not 0 <= baseline <= 100:
            found["baseline"] = "Доля — от 0 до 100 %."
        bad = [f"{y}: {number(v, 3, trim=True)}" for y, v in sorted(targets.items())
               if not 0 <= v <= 100]
        if bad:
            found["targets"] = f"Доля — от 0 до 100 %: {'; '.join(bad)}."
    return found


@transaction.atomic
def indicator_save(*, by: Any, task: RoadmapTask, name: str, unit: str, direction: str,
                   baseline: float | None, baseline_year: int | None,
                   targets: dict[int, float], source: str,
                   indicator: RoadmapIndicator | None = None) -> RoadmapIndicator:
    require_editor(by, task.goal.problem.roadmap)
    problems = indicator_hard_problems(unit, baseline, targets)
    if problems:
        raise ValidationError(problems)
    indicator = indicator or RoadmapIndicator(task=task, position=task.indicators.count() + 1)
    indicator.name, indicator.unit, indicator.direction = name.strip(), unit, direction
    indicator.baseline, indicator.baseline_year, indicator.source = baseline, baseline_year, \
        source.strip()
    indicator.targets = {str(y): v for y, v in sorted(targets.items())}
    return saved(indicator, by)


def _staff_check(school: School, responsible: Teacher | None) -> None:
    if responsible is not None and responsible.school_id != school.pk:
        raise ValidationError({"responsible": "Ответственный — педагог этой школы."})


@transaction.atomic
def measure_save(*, by: Any, task: RoadmapTask, title: str, deadline: dt.date | None,
                 responsible: Teacher | None, measure: Measure | None = None) -> Measure:
    roadmap = task.goal.problem.roadmap
    require_editor(by, roadmap)
    _staff_check(roadmap.school, responsible)
    measure = measure or Measure(task=task, position=task.measures.count() + 1)
    measure.title, measure.deadline, measure.responsible = title.strip(), deadline, responsible
    return saved(measure, by)


@transaction.atomic
def item_delete(*, by: Any, item: Model, roadmap: Roadmap) -> None:
    """Delete a problem, goal, task, indicator or measure (and what is under it; history kept)."""
    require_editor(by, roadmap)
    audit(item, by)
    item.delete()


@transaction.atomic
def measure_progress(*, by: Any, measure: Measure, status: str, comment: str,
                     event: Any = None, document: Any = None, note: str = "",
                     today: dt.date | None = None) -> Measure:
    """The school records how a measure is going: its status, a comment, a piece of evidence."""
    roadmap = measure.task.goal.problem.roadmap
    require_editor(by, roadmap, plan=False)
    if status == DONE and not (event or document or note.strip()
                               or measure.evidence.exists()):
        raise ValidationError({"note": "Чтобы отметить выполнение, приложите подтверждение: "
                                       "мероприятие сопровождения, документ или ссылку."})
    if event is not None and not event.event_schools.filter(school=roadmap.school).exists():
        raise ValidationError({"event": "Мероприятие не касается этой школы."})
    if document is not None and document.school_id != roadmap.school_id:
        raise ValidationError({"document": "Документ другой школы."})
    if (measure.status, measure.comment) != (status, comment.strip()):
        measure.status, measure.comment = status, comment.strip()
        measure.done_on = (measure.done_on or today or timezone.localdate()) if status == DONE \
            else None
        saved(measure, by)
    if event is not None or document is not None or note.strip():
        saved(MeasureEvidence(measure=measure, event=event, document=document,
                              note=note.strip()[:500], added_by=by), by)
    return measure


@transaction.atomic
def comment_add(*, by: Any, roadmap: Roadmap, text: str,
                measure: Measure | None = None) -> RoadmapComment:
    viewer = Viewer.of(by)
    if not (viewer.may(Action.COMMENT_ROADMAP, roadmap.school)
            or viewer.may(Action.EDIT_PROGRAMME, roadmap.school)):
        raise PermissionDenied("Комментируют куратор школы, её руководитель, координатор и "
                               "методист.")
    if not text.strip():
        raise ValidationError({"text": "Напишите комментарий."})
    return saved(RoadmapComment(roadmap=roadmap, measure=measure, author=by,
                                text=text.strip()), by)


def roadmap_checks(roadmap: Roadmap) -> tuple[list[Any], list[Any]]:
    """(the tree, the completeness problems) of ``roadmap``."""
    problems = tree(roadmap)
    _, high = high_risk_factors(roadmap.school, roadmap.first_year)
    return problems, completeness(roadmap, problems, high)


@transaction.atomic
def roadmap_submit(*, by: Any, roadmap: Roadmap) -> Roadmap:
    """Send for review: only a complete roadmap; the open roadmap review takes it."""
    require_editor(by, roadmap)
    problems, found = roadmap_checks(roadmap)
    if found:
        raise ValidationError("Дорожная карта не готова к экспертизе: "
                              + "; ".join(f"{p.where}: {p.message}" for p in found[:5])
                              + ("…" if len(found) > 5 else ""))
    if not problems:
        raise ValidationError("Дорожная карта пуста: добавьте проблемы, цели и мероприятия.")
    roadmap.status = SUBMITTED
    saved(roadmap, by, "отправлена на экспертизу")
    from opora.web.programmes.services.reviews import roadmap_submitted

    roadmap_submitted(by=by, roadmap=roadmap, plan=snapshot(roadmap, problems))
    return roadmap


