"""Writes of the recommendations, meetings, decisions, the plan and the cycle: keyword-only,
atomic, checked by the Viewer, validated before saving, audited (simple-history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions.facts import municipal_facts
from opora.web.decisions.models import (
    Decision,
    Meeting,
    MeetingItem,
    PlanMeasure,
    Recommendation,
)
from opora.web.decisions.notify import administrators_of, coordinators_of, notify
from opora.web.decisions.rules import suggest
from opora.web.decisions.terms import ADDRESSEE_BY_CODE
from opora.web.schools.models import Municipality
from opora.web.support.services import audit
from opora.web.support.services.attachments import check_upload

MANAGE = "Это делает муниципальный координатор."


def _save(record: Any, by: Any, reason: str = "") -> Any:
    record.full_clean()
    audit(record, by, reason)
    record.save()
    return record


@dataclass(frozen=True)
class Suggested:
    created: int
    updated: int
    withdrawn: int


@transaction.atomic
def recommendations_suggest(*, by: Any, municipality: Municipality,
                            as_of: dt.date | None = None) -> Suggested:
    """Run the rules over the municipality's facts: new suggestions are added, untouched ones
    get the current numbers, suggestions no rule makes any more are withdrawn; a recommendation
    the coordinator has accepted or declined is never changed by the rules."""
    Viewer.of(by).require(Action.MANAGE_DECISIONS, municipality, MANAGE)
    found = suggest(municipal_facts(municipality, as_of=as_of))
    existing = {r.key: r for r in Recommendation.objects.filter(municipality=municipality)
                .exclude(key="")}
    created = updated = 0
    for s in found:
        old = existing.get(s.key)
        if old is None:
            _save(Recommendation(municipality=municipality, school_id=s.school_id, year=s.year,
                                 addressee=s.addressee, rule=s.rule, key=s.key, subject=s.subject,
                                 text=s.text, basis=s.basis, numbers=s.numbers), by)
            created += 1
        elif old.status == "suggested" and (old.basis, old.numbers) != (s.basis, s.numbers):
            old.basis, old.numbers = s.basis, s.numbers
            _save(old, by, "числа обновлены правилами")
            updated += 1
    current = {s.key for s in found}
    stale = [r for key, r in existing.items() if r.status == "suggested" and key not in current]
    for record in stale:
        audit(record, by, "правило больше не срабатывает")
        record.delete()
    return Suggested(created, updated, len(stale))


def _link(record: Recommendation) -> str:
    return reverse("decisions:recommendation", args=[record.pk])


@transaction.atomic
def recommendation_accept(*, by: Any, record: Recommendation, text: str, deadline: dt.date,
                          responsible: str, responsible_user: Any = None) -> Recommendation:
    """The coordinator edits and accepts a suggestion (or re-opens a declined one)."""
    Viewer.of(by).require(Action.MANAGE_DECISIONS, record.municipality, MANAGE)
    if record.status not in ("suggested", "declined", "accepted"):
        raise ValidationError("Рекомендация уже отмечена как выполненная или невыполненная.")
    if not responsible.strip():
        raise ValidationError({"responsible": "Укажите ответственного."})
    record.text, record.deadline, record.responsible = text.strip(), deadline, responsible.strip()
    record.responsible_user = responsible_user
    record.status, record.decided_at, record.decided_by = "accepted", timezone.now(), by
    _save(record, by, "принята")
    addressee = ADDRESSEE_BY_CODE[record.addressee].name_ru
    people = [responsible_user] if responsible_user is not None else []
    if record.school_level and record.school_id is not None:
        people += administrators_of(record.school_id)
    for user in {p.pk: p for p in people}.values():
        notify(user=user, key=f"rec-accepted:{record.pk}", link=_link(record),
               text=f"Принята рекомендация «{addressee}» № {record.pk}, срок "
                    f"{deadline:%d.%m.%Y}")
    return record


@transaction.atomic
def recommendation_decline(*, by: Any, record: Recommendation, reason: str) -> Recommendation:
    Viewer.of(by).require(Action.MANAGE_DECISIONS, record.municipality, MANAGE)
    if record.status != "suggested":
        raise ValidationError("Отклонить можно только предложенную рекомендацию.")
    record.status, record.decided_at, record.decided_by = "declined", timezone.now(), by
    record.outcome = reason.strip()
    return _save(record, by, "отклонена")


@transaction.atomic
def recommendation_create(*, by: Any, municipality: Municipality, addressee: str, text: str,
                          year: int, school: Any = None) -> Recommendation:
    """A recommendation the coordinator writes by hand (no rule): it starts as a suggestion."""
    Viewer.of(by).require(Action.MANAGE_DECISIONS, municipality, MANAGE)
    if school is not None and school.municipality_id != municipality.pk:
        raise ValidationError({"school": "Школа не из этого муниципалитета."})
    return _save(Recommendation(municipality=municipality, school=school, year=year,
                                addressee=addressee, text=text.strip(),
                                basis="записана координатором"), by)


@transaction.atomic
def recommendation_close(*, by: Any, record: Recommendation, done: bool, outcome: str,
                         upload: Any = None) -> Recommendation:
    """«выполнено» (what was done) or «не выполнено» (the reason is required), an optional file
    as evidence; the coordinators of the municipality are told."""
    Viewer.of(by).require(Action.CLOSE_RECOMMENDATION, record,
                          "Отметить выполнение может координатор или администрация школы.")
    if record.status not in ("accepted", "done", "not_done"):
        raise ValidationError("Отметить выполнение можно только у принятой рекомендации.")
    if not done and not outcome.strip():
        raise ValidationError({"outcome": "Укажите причину, по которой рекомендация не "
                                          "выполнена."})
    if done and not outcome.strip() and upload is None:
        raise ValidationError({"outcome": "Опишите, что сделано, или приложите файл."})
    if upload is not None:
        _kind, sha = check_upload(upload)
        name = PurePath(upload.name).name[:255]
        record.evidence_file.save(f"{sha[:16]}{PurePath(name).suffix.lower()}", upload,
                                  save=False)
        record.evidence_name = name
    record.status = "done" if done else "not_done"
    record.outcome, record.closed_at, record.closed_by = outcome.strip(), timezone.now(), by
    _save(record, by, "выполнена" if done else "не выполнена")
    word = "выполнена" if done else "не выполнена"
    for user in coordinators_of(record.municipality_id):
        if user.pk != getattr(by, "pk", None):
            notify(user=user, key=f"rec-closed:{record.pk}:{record.status}", link=_link(record),
                   text=f"Рекомендация № {record.pk} отмечена: {word}")
    return record


@transaction.atomic
def meeting_create(*, by: Any, municipality: Municipality, date: dt.date, kind: str,
                   agenda: str, attendees: str = "", number: str = "") -> Meeting:
    Viewer.of(by).require(Action.MANAGE_DECISIONS, municipality, MANAGE)
    return _save(Meeting(municipality=municipality, date=date, kind=kind, agenda=agenda.strip(),
                         attendees=attendees.strip(), number=number.strip(), created_by=by), by)


@transaction.atomic
def item_add(*, by: Any, meeting: Meeting, heard: str, decided: str,
             spoke: str = "") -> MeetingItem:
    """A question of the meeting: «слушали», «выступили», «решили»."""
    Viewer.of(by).require(Action.MANAGE_DECISIONS, meeting.municipality, MANAGE)
    last = meeting.items.aggregate(n=Max("position"))["n"] or 0
    return _save(MeetingItem(meeting=meeting, position=last + 1, heard=heard.strip(),
                             spoke=spoke.strip(), decided=decided.strip()), by)


@transaction.atomic
def decision_add(*, by: Any, item: MeetingItem, text: str, responsible: str,
                 deadline: dt.date, documents: str = "",
                 responsible_user: Any = None) -> Decision:
    """A decision of the item; its responsible user (if any) is told."""
    Viewer.of(by).require(Action.MANAGE_DECISIONS, item.meeting.municipality, MANAGE)
    found = _save(Decision(item=item, text=text.strip(), responsible=responsible.strip(),
                           deadline=deadline, documents=documents.strip(),
                           responsible_user=responsible_user), by)
    notify(user=responsible_user, key=f"decision:{found.pk}",
           link=reverse("decisions:meeting", args=[item.meeting_id]),
           text=f"Вам поручено решение заседания {item.meeting.date:%d.%m.%Y}, срок "
                f"{deadline:%d.%m.%Y}")
    return found


@transaction.atomic
def decision_set_status(*, by: Any, decision: Decision, status: str, note: str = "",
                        documents: str | None = None) -> Decision:
    Viewer.of(by).require(Action.MANAGE_DECISIONS, decision.item.meeting.municipality, MANAGE)
    decision.status, decision.note = status, note.strip()
    if documents is not None:
        decision.documents = documents.strip()
    return _save(decision, by, "состояние изменено")


@transaction.atomic
def measure_save(*, by: Any, municipality: Municipality, year: int, fields: dict[str, Any],
                 measure: PlanMeasure | None = None) -> PlanMeasure:
    """Add or edit a row of the municipal plan of measures."""
    Viewer.of(by).require(Action.MANAGE_DECISIONS, municipality, MANAGE)
    if measure is None:
        last = PlanMeasure.objects.filter(municipality=municipality, year=year) \
            .aggregate(n=Max("position"))["n"] or 0
        measure = PlanMeasure(municipality=municipality, year=year, position=last + 1)
    for name, value in fields.items():
        setattr(measure, name, value)
    return _save(measure, by)
