"""Writes of staff and development records: keyword-only, atomic, validated before saving, and
audited with their author (simple-history reads ``_history_user``).

Each raises ``ValidationError`` with Russian messages keyed by field and saves nothing then.
Who may call them is the caller's question to the Viewer (``EDIT_STAFF``, ``EDIT_DEVELOPMENT``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from opora.web.staff.models import (
    Course,
    DevelopmentRoute,
    DiagnosticScore,
    RouteStep,
    Teacher,
    TeacherDiagnostic,
)


def _save(record: models.Model, user: Any) -> None:
    record.full_clean()
    record._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    record.save()


def _set(record: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(record, name, value)


@transaction.atomic
def teacher_save(*, teacher: Teacher, user: Any, **fields: Any) -> Teacher:
    """Create (``teacher`` unsaved, its school set) or change a teacher's record."""
    _set(teacher, fields)
    _save(teacher, user)
    return teacher


@transaction.atomic
def teacher_end(*, teacher: Teacher, user: Any, on: datetime.date) -> Teacher:
    """The teacher left on ``on``: the record stays, with its end date, in the history."""
    if teacher.active_from and on < teacher.active_from:
        raise ValidationError({"active_to": "Дата ухода раньше даты начала работы "
                                            f"({teacher.active_from:%d.%m.%Y})."})
    teacher.active_to = on
    _save(teacher, user)
    return teacher


@dataclass(frozen=True)
class DomainResult:
    """One domain of a diagnostic as typed or read: a score of a maximum, or a level."""

    domain: str
    score: float | None = None
    max_score: float | None = None
    level: str = ""


@transaction.atomic
def diagnostic_save(*, diagnostic: TeacherDiagnostic, user: Any,
                    results: Sequence[DomainResult], **fields: Any) -> TeacherDiagnostic:
    """Create or change a diagnostic with its domains (the domains given replace the old ones).

    Errors of a domain are keyed ``score_<domain>``, ``max_score_<domain>``, ``level_<domain>``
    so a form shows them beside the box."""
    if not results:
        raise ValidationError({"__all__": "Укажите результат хотя бы по одной области."})
    _set(diagnostic, fields)
    scores = [DiagnosticScore(domain=r.domain, score=r.score, max_score=r.max_score,
                              level=r.level) for r in results]
    errors: dict[str, list[str]] = {}
    for score in scores:
        try:
            score.clean_fields(exclude=["diagnostic"])
            score.clean()
        except ValidationError as refused:
            for name, messages in refused.message_dict.items():
                errors.setdefault(f"{name}_{score.domain}", []).extend(messages)
    try:
        diagnostic.full_clean()
    except ValidationError as refused:
        for name, messages in refused.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _save(diagnostic, user)
    kept = {s.domain: s for s in diagnostic.scores.all()} if diagnostic.pk else {}
    for score in scores:
        old = kept.pop(score.domain, None)
        if old is not None:
            if (old.score, old.max_score, old.level) == (score.score, score.max_score,
                                                         score.level):
                continue
            score.pk = old.pk
        score.diagnostic = diagnostic
        _save(score, user)
    for gone in kept.values():
        gone._history_user = user  # type: ignore[attr-defined]
        gone.delete()
    return diagnostic


@dataclass(frozen=True)
class StepInput:
    kind: str
    title: str
    start: datetime.date | None
    end: datetime.date | None
    status: str
    pk: int | None = None


@transaction.atomic
def route_save(*, route: DevelopmentRoute, user: Any, steps: Sequence[StepInput],
               **fields: Any) -> DevelopmentRoute:
    """Create or change a route (ИОМ) with its steps; steps not listed are removed.

    Errors of step ``i`` are keyed ``steps-<i>-<field>``."""
    _set(route, fields)
    errors: dict[str, list[str]] = {}
    try:
        route.full_clean()
    except ValidationError as refused:
        errors.update(refused.message_dict)
    existing = {s.pk: s for s in route.steps.all()} if route.pk else {}
    records = []
    for index, step in enumerate(steps):
        record = existing.pop(step.pk, None) if step.pk else None
        record = record or RouteStep()
        _set(record, {"kind": step.kind, "title": step.title, "start": step.start,
                      "end": step.end, "status": step.status})
        try:
            record.clean_fields(exclude=["route"])
            record.clean()
        except ValidationError as refused:
            for name, messages in refused.message_dict.items():
                errors.setdefault(f"steps-{index}-{name}", []).extend(messages)
        records.append(record)
    if errors:
        raise ValidationError(errors)
    _save(route, user)
    for record in records:
        record.route = route
        _save(record, user)
    for gone in existing.values():
        gone._history_user = user  # type: ignore[attr-defined]
        gone.delete()
    return route


@transaction.atomic
def course_save(*, course: Course, user: Any, **fields: Any) -> Course:
    """Create or change a course (КПК) of a teacher."""
    _set(course, fields)
    _save(course, user)
    return course
