"""The annual cycle: the year's stages with due dates per municipality (seed 002's «Сроки»,
seed 004's first quarter), reminders to the people responsible, the self-assessment of the
system's nine parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions.models import (
    CycleStage,
    Decision,
    PlanMeasure,
    Recommendation,
    SelfAssessment,
)
from opora.web.decisions.notify import administrators_of, coordinators_of, notify
from opora.web.decisions.services import MANAGE, _save
from opora.web.decisions.terms import CYCLE_DEFAULTS, CYCLE_STAGES, OPEN_DECISION_STATUSES, name
from opora.web.schools.models import Municipality

#: Reminders start this many days before a stage's or a decision's due date.
REMIND_DAYS = 14


def school_year(day: dt.date) -> int:
    """The school year (its starting calendar year) of ``day``: September starts a new one."""
    return day.year if day.month >= 9 else day.year - 1


def _default_dates(stage: str, year: int) -> tuple[dt.date, dt.date]:
    (sm, sd), (dm, dd), start_offset, due_offset = CYCLE_DEFAULTS[stage]
    return dt.date(year + start_offset, sm, sd), dt.date(year + due_offset, dm, dd)


def stages_ensure(municipality: Municipality, year: int) -> list[CycleStage]:
    """The year's stages of the municipality, made with the default dates when missing."""
    have = {s.stage: s for s in CycleStage.objects.filter(municipality=municipality, year=year)}
    for term in CYCLE_STAGES:
        if term.code not in have:
            starts, due = _default_dates(term.code, year)
            have[term.code] = CycleStage.objects.create(
                municipality=municipality, year=year, stage=term.code, starts_on=starts,
                due_on=due)
    return sorted(have.values(), key=lambda s: (s.due_on, s.pk))


@transaction.atomic
def stage_update(*, by: Any, stage: CycleStage, starts_on: dt.date, due_on: dt.date,
                 responsible_user: Any = None, done: bool = False) -> CycleStage:
    Viewer.of(by).require(Action.MANAGE_DECISIONS, stage.municipality, MANAGE)
    stage.starts_on, stage.due_on, stage.responsible_user = starts_on, due_on, responsible_user
    if done and stage.done_on is None:
        stage.done_on = timezone.localdate()
    elif not done:
        stage.done_on = None
    if stage.starts_on > stage.due_on:
        from django.core.exceptions import ValidationError

        raise ValidationError({"due_on": "Срок раньше начала этапа."})
    return _save(stage, by)


@transaction.atomic
def self_assessment_save(*, by: Any, municipality: Municipality, year: int, part: str,
                         exists: bool, used: bool, analysed: bool,
                         note: str = "") -> SelfAssessment:
    Viewer.of(by).require(Action.MANAGE_DECISIONS, municipality, MANAGE)
    found = SelfAssessment.objects.filter(municipality=municipality, year=year, part=part) \
        .first() or SelfAssessment(municipality=municipality, year=year, part=part)
    found.exists, found.used, found.analysed, found.note = exists, used, analysed, note.strip()
    return _save(found, by)


def remind(*, today: dt.date | None = None) -> int:
    """Notify the people responsible of stages, decisions and recommendations due within
    ``REMIND_DAYS`` days or overdue (once per item and state). Returns the number sent."""
    day = today or timezone.localdate()
    soon = day + dt.timedelta(days=REMIND_DAYS)
    sent = 0
    for stage in CycleStage.objects.filter(done_on__isnull=True, due_on__lte=soon) \
            .select_related("responsible_user"):
        state = "overdue" if stage.due_on < day else "soon"
        people = [stage.responsible_user] if stage.responsible_user else \
            coordinators_of(stage.municipality_id)
        verb = "просрочен" if state == "overdue" else "подходит срок"
        for user in people:
            sent += notify(user=user, key=f"stage:{stage.pk}:{state}:{stage.due_on}",
                           link=reverse("decisions:cycle") + f"?municipality={stage.municipality_id}",
                           text=f"Этап «{name(CYCLE_STAGES, stage.stage)}»: {verb} "
                                f"({stage.due_on:%d.%m.%Y})") is not None
    for decision in Decision.objects.filter(status__in=OPEN_DECISION_STATUSES,
                                            deadline__lt=day).select_related("item__meeting"):
        meeting = decision.item.meeting
        people = [decision.responsible_user] if decision.responsible_user else \
            coordinators_of(meeting.municipality_id)
        for user in people:
            sent += notify(user=user, key=f"decision:{decision.pk}:overdue",
                           link=reverse("decisions:meeting", args=[meeting.pk]),
                           text=f"Просрочено решение заседания {meeting.date:%d.%m.%Y}: "
                                f"{decision.text[:80]}") is not None
    for record in Recommendation.objects.filter(status="accepted", deadline__lt=day):
        people = [record.responsible_user] if record.responsible_user else []
        if record.school_level and record.school_id:
            people += administrators_of(record.school_id)
        people = people or coordinators_of(record.municipality_id)
        for user in {p.pk: p for p in people}.values():
            sent += notify(user=user, key=f"rec:{record.pk}:overdue",
                           link=reverse("decisions:recommendation", args=[record.pk]),
                           text=f"Просрочена рекомендация № {record.pk} (срок "
                                f"{record.deadline:%d.%m.%Y})") is not None
    return sent


def plan_overdue(municipality_ids: list[int], day: dt.date) -> list[PlanMeasure]:
    return list(PlanMeasure.objects.filter(municipality_id__in=municipality_ids,
                                           status="planned", due_on__lt=day)
                .order_by("due_on")[:20])
