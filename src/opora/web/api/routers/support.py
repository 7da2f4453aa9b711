"""The support work: assignments (curators, network pairs, mentors, communities) and support
events — read in the Viewer's scope; events are created by curators (for their assigned schools),
methodists and coordinators (for their municipality's schools), with the form's checks.

Scope as in the pages: an event is seen by its municipality's coordinator and methodists, its
region's staff, whoever sees one of its schools (the school's administrator, its curator) and
who organised or recorded it; teachers of a school the caller does not see are left out of the
participants. Assignments of schools outside the scope are not listed. The response schemas live
here, beside the only router that uses them.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from opora.web.accounts.scope import Action, Viewer
from opora.web.api.errors import ApiErrorCode, error_body
from opora.web.schools.models import School
from opora.web.staff.models import Teacher
from opora.web.support.models import (
    Community,
    CommunityMember,
    Curatorship,
    Mentorship,
    NetworkPair,
    SupportEvent,
)
from opora.web.support.selectors import (
    EventFilter,
    event_get,
    events_visible,
    visible_participants,
    with_schools,
)
from opora.web.support.services.events import EventData, event_create, require_schools

router = Router(tags=["Сопровождение школ"])
RECORDERS = ("Мероприятия записывают куратор (для закреплённых школ), методист и координатор "
             "(для школ муниципалитета).")


class PeriodOut(Schema):
    id: int
    started_on: dt.date = Field(description="С какого дня (для пары — дата соглашения)")
    ended_on: dt.date | None = Field(description="По какой день; null — действует")
    end_reason: str


class CuratorshipOut(PeriodOut):
    school_id: int
    school: str
    curator: str = Field(description="Имя пользователя куратора")
    curator_name: str
    basis: str = Field(description="Основание: приказ, номер и дата")


class PairOut(PeriodOut):
    low_school_id: int
    low_school: str
    leader_school_id: int
    leader_school: str
    basis: str
    run_id: int | None = Field(description="Расчёт, который предложил пару; null — вручную")
    weak_subjects: str


class MentorshipOut(PeriodOut):
    mentor_id: int = Field(description="id педагога-наставника")
    mentor: str
    mentor_school_id: int
    mentee_id: int = Field(description="id наставляемого педагога")
    mentee: str
    mentee_school_id: int
    basis: str


class CommunityOut(PeriodOut):
    municipality_id: int
    name: str
    kind: str = Field(description="Код вида сообщества (docs/glossary.md)")
    subject: str
    leader_id: int | None
    school_ids: list[int] = Field(description="Школы действующих участников")


class ParticipantOut(Schema):
    teacher_id: int
    teacher: str = Field(description="ФИО или код педагога")
    school_id: int
    attended: bool | None = Field(description="Был ли; null — руководитель школы ещё не "
                                              "подтвердил")


class EventOut(Schema):
    id: int
    municipality_id: int
    kind: str = Field(description="Код вида (docs/glossary.md, «Виды мероприятий»)")
    kind_name: str = Field(description="Название для вида «other»")
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    online: bool
    place: str
    status: str = Field(description="planned, held, held_remote, postponed, cancelled")
    status_reason: str
    organiser_kind: str = Field(description="curator, methodist, coordinator, leader_school")
    organiser_school_id: int | None
    school_ids: list[int]
    subjects: list[str]
    risk_factors: list[str]
    flags: list[str]


class EventDetailOut(EventOut):
    outcome: str
    agreements: str
    participants: list[ParticipantOut]
    tasks: list[dict[str, Any]] = Field(description="Задачи: text, responsible, due_on, done_on")
    attachments: list[dict[str, Any]] = Field(description="Файлы: name, type, size")


class ProblemOut(Schema):
    where: str = Field(description="Поле запроса: body.status, body.ends_at …")
    problem: str


class RefusedOut(Schema):
    code: str = Field(description="invalid_request")
    message: str
    problems: list[ProblemOut]


class EventIn(Schema):
    kind: str
    kind_name: str = ""
    topic: str
    starts_at: dt.datetime = Field(description="Начало (с часовым поясом или по Москве)")
    ends_at: dt.datetime
    online: bool = False
    place: str = ""
    status: str = "planned"
    status_reason: str = ""
    organiser_kind: str
    organiser_school_id: int | None = None
    school_ids: list[int] = Field(description="id школ мероприятия")
    participant_ids: list[int] = Field(default_factory=list,
                                       description="id педагогов этих школ")
    subjects: list[str] = Field(default_factory=list, description="Коды предметов")
    risk_factors: list[str] = Field(default_factory=list, description="Коды факторов риска")
    flags: list[str] = Field(default_factory=list, description="Коды отметок школ")
    outcome: str = ""
    agreements: str = ""


def _period(row: Any, start: dt.date) -> dict[str, Any]:
    return {"id": row.pk, "started_on": start, "ended_on": row.ended_on,
            "end_reason": row.end_reason}


def _seen_school_ids(viewer: Viewer) -> Any:
    return viewer.schools().values("pk")


class AssignmentFilter(Schema):
    school: int | None = None
    current: bool | None = Field(None, description="true — только действующие")


def _current(rows: Any, current: bool | None) -> Any:
    if current is None:
        return rows
    return rows.filter(ended_on__isnull=current)


@router.get("/support/curatorships", response=list[CuratorshipOut], summary="Кураторы школ",
            description="Кураторства школ в области видимости, с датами и основанием; "
                        "закончившиеся тоже (история).")
@paginate(LimitOffsetPagination)
def curatorships(request: HttpRequest, filters: Query[AssignmentFilter]) -> list[dict[str, Any]]:
    rows = _current(Curatorship.objects.filter(school__in=_seen_school_ids(Viewer.of(
        request.user))).select_related("school", "curator"), filters.current)
    if filters.school is not None:
        rows = rows.filter(school_id=filters.school)
    return [{**_period(c, c.started_on), "school_id": c.school_id, "school": c.school.short_name,
             "curator": c.curator.get_username(), "curator_name": c.curator.get_full_name(),
             "basis": c.basis} for c in rows.order_by("-started_on", "pk")]


@router.get("/support/pairs", response=list[PairOut], summary="Сетевые пары",
            description="Пары ШНОР — школа-лидер, где хотя бы одна школа в области видимости.")
@paginate(LimitOffsetPagination)
def pairs(request: HttpRequest, filters: Query[AssignmentFilter]) -> list[dict[str, Any]]:
    seen = _seen_school_ids(Viewer.of(request.user))
    rows = _current(NetworkPair.objects.filter(Q(low_school__in=seen) | Q(leader_school__in=seen))
                    .select_related("low_school", "leader_school"), filters.current)
    if filters.school is not None:
        rows = rows.filter(Q(low_school_id=filters.school) | Q(leader_school_id=filters.school))
    return [{**_period(p, p.agreed_on), "low_school_id": p.low_school_id,
             "low_school": p.low_school.short_name, "leader_school_id": p.leader_school_id,
             "leader_school": p.leader_school.short_name, "basis": p.basis, "run_id": p.run_id,
             "weak_subjects": p.weak_subjects} for p in rows.order_by("-agreed_on", "pk")]


@router.get("/support/mentorships", response=list[MentorshipOut], summary="Наставничество",
            description="Наставник и наставляемый педагог; наставляемый — из школы в области "
                        "видимости.")
@paginate(LimitOffsetPagination)
def mentorships(request: HttpRequest, filters: Query[AssignmentFilter]) -> list[dict[str, Any]]:
    rows = _current(Mentorship.objects.filter(mentee__school__in=_seen_school_ids(Viewer.of(
        request.user))).select_related("mentor", "mentee"), filters.current)
    if filters.school is not None:
        rows = rows.filter(mentee__school_id=filters.school)
    return [{**_period(m, m.started_on), "mentor_id": m.mentor_id, "mentor": m.mentor.name,
             "mentor_school_id": m.mentor.school_id, "mentee_id": m.mentee_id,
             "mentee": m.mentee.name, "mentee_school_id": m.mentee.school_id,
             "basis": m.basis} for m in rows.order_by("-started_on", "pk")]


@router.get("/support/communities", response=list[CommunityOut], summary="Сетевые сообщества",
            description="Сообщества муниципалитетов пользователя и сообщества, где есть "
                        "педагоги его школ.")
@paginate(LimitOffsetPagination)
def communities(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    towns = [m.pk for m in viewer.municipalities()]
    with_mine = CommunityMember.objects.filter(school__in=_seen_school_ids(viewer)).values(
        "community_id")
    rows = (Community.objects.filter(Q(municipality_id__in=towns) | Q(pk__in=with_mine))
            .order_by("name", "pk"))
    members: dict[int, set[int]] = {}
    for community_id, school_id in CommunityMember.objects.filter(
            community__in=rows, left_on__isnull=True).values_list("community_id", "school_id"):
        members.setdefault(community_id, set()).add(school_id)
    return [{**_period(c, c.started_on), "municipality_id": c.municipality_id, "name": c.name,
             "kind": c.kind, "subject": c.subject, "leader_id": c.leader_id,
             "school_ids": sorted(members.get(c.pk, ()))} for c in rows]


def event_out(event: SupportEvent) -> dict[str, Any]:
    return {"id": event.pk, "municipality_id": event.municipality_id, "kind": event.kind,
            "kind_name": event.kind_name, "topic": event.topic, "starts_at": event.starts_at,
            "ends_at": event.ends_at, "online": event.online, "place": event.place,
            "status": event.status, "status_reason": event.status_reason,
            "organiser_kind": event.organiser_kind,
            "organiser_school_id": event.organiser_school_id,
            "school_ids": sorted(event.school_ids), "subjects": event.subjects,
            "risk_factors": event.risk_factors, "flags": event.flags}


class EventQuery(Schema):
    date_from: dt.date | None = Field(None, alias="from", description="С даты (ГГГГ-ММ-ДД)")
    date_to: dt.date | None = Field(None, alias="to", description="По дату включительно")
    kind: str | None = None
    status: str | None = None
    school: int | None = None


@router.get("/support/events", response=list[EventOut], summary="Мероприятия",
            description="Мероприятия в области видимости, новые сверху; фильтры: from, to, kind, "
                        "status, school.")
@paginate(LimitOffsetPagination)
def events(request: HttpRequest, query: Query[EventQuery]) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    filters = EventFilter(date_from=query.date_from, date_to=query.date_to,
                          kind=query.kind or "", status=query.status or "", school=query.school)
    rows = with_schools(filters.apply(events_visible(viewer), viewer)).order_by("-starts_at",
                                                                                "-pk")
    return [event_out(e) for e in rows]


def event_detail_out(viewer: Viewer, event: SupportEvent) -> dict[str, Any]:
    return {**event_out(event), "outcome": event.outcome, "agreements": event.agreements,
            "participants": [{"teacher_id": p.teacher_id, "teacher": p.teacher.name,
                              "school_id": p.school_id, "attended": p.attended}
                             for p in visible_participants(viewer, event)],
            "tasks": [{"text": t.text, "responsible": t.responsible, "due_on": t.due_on,
                       "done_on": t.done_on} for t in event.tasks.all()],
            "attachments": [{"name": a.original_name, "type": a.file_type, "size": a.size}
                            for a in event.attachments.all()]}


@router.get("/support/events/{event_id}", response=EventDetailOut, summary="Мероприятие",
            description="Мероприятие с участниками (педагоги школ, которые видит пользователь), "
                        "задачами по итогам и списком файлов.")
def event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    return event_detail_out(viewer, event_get(viewer, event_id))


def _moment(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@router.post("/support/events", response={201: EventDetailOut, 422: RefusedOut},
             summary="Записать мероприятие",
             description="Куратор — для закреплённых за ним школ, методист и координатор — для "
                          "школ своего муниципалитета. Проверки — как в форме: «проведено» в "
                          "будущем, окончание раньше начала, участник из школы, которая не "
                          "участвует, перенос или отмена без причины — ответ 422 с полями.")
def event_new(request: HttpRequest, body: EventIn) -> Status:
    viewer = Viewer.of(request.user)
    viewer.require(Action.RECORD_EVENT, None, RECORDERS)
    schools = list(viewer.schools().filter(pk__in=body.school_ids).select_related("municipality"))
    if len(schools) != len(set(body.school_ids)):
        raise Http404("Школа не найдена или недоступна")
    require_schools(viewer, schools)
    teachers = list(Teacher.objects.filter(pk__in=body.participant_ids,
                                           school__in=viewer.schools()).select_related("school"))
    if len(teachers) != len(set(body.participant_ids)):
        raise Http404("Педагог не найден или недоступен")
    leader = (School.objects.filter(pk=body.organiser_school_id).first()
              if body.organiser_school_id else None)
    data = EventData(
        kind=body.kind, kind_name=body.kind_name, topic=body.topic,
        starts_at=_moment(body.starts_at), ends_at=_moment(body.ends_at), online=body.online,
        place=body.place, status=body.status, status_reason=body.status_reason,
        organiser_kind=body.organiser_kind, organiser=request.user, organiser_school=leader,
        schools=schools, participants=teachers, subjects=body.subjects,
        risk_factors=body.risk_factors, flags=body.flags, outcome=body.outcome,
        agreements=body.agreements)
    try:
        created = event_create(by=request.user, data=data)
    except ValidationError as exc:
        problems = [{"where": f"body.{field}", "problem": message}
                    for field, messages in exc.message_dict.items() for message in messages] \
            if hasattr(exc, "error_dict") else [{"where": "body", "problem": m}
                                                for m in exc.messages]
        return Status(422, error_body(ApiErrorCode.INVALID, "Мероприятие не записано.",
                                      problems=problems))
    return Status(201, event_detail_out(viewer, event_get(viewer, created.pk)))
