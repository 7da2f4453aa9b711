"""Recommendations, meetings with their decisions and the municipal plan of measures (issue 16),
in the Viewer's scope: the municipality's coordinator and methodists and the region's staff read
everything of it; a school's administrator and curator read the accepted recommendations to the
school; the coordinator accepts, records meetings and edits the plan; the school's administrator
marks its recommendations done. The response schemas live here, beside the only router using them.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions import services
from opora.web.decisions.models import Decision, Meeting, PlanMeasure, Recommendation
from opora.web.decisions.selectors import (
    decisions_visible,
    meeting_get,
    meetings_visible,
    recommendation_get,
    recommendations_visible,
)

router = Router(tags=["Рекомендации и решения"])


class RecommendationOut(Schema):
    id: int
    municipality_id: int
    school_id: int | None = Field(description="null — рекомендация муниципалитету в целом")
    year: int
    addressee: str = Field(description="Код адресата (docs/user-guide.md): students, parents, "
                                       "teachers, school, methodical_centre, "
                                       "psychological_centre, department")
    rule: str = Field(description="Правило, предложившее рекомендацию; пусто — записана вручную")
    subject: str
    text: str
    basis: str = Field(description="Числа, по которым сработало правило, словами")
    numbers: dict[str, Any]
    status: str = Field(description="suggested, accepted, declined, done, not_done")
    deadline: dt.date | None
    responsible: str
    outcome: str = Field(description="Что сделано или причина невыполнения")
    has_file: bool


class RecommendationFilter(Schema):
    status: str | None = None
    addressee: str | None = None
    school: int | None = None
    municipality: int | None = None


class AcceptIn(Schema):
    text: str | None = Field(None, description="Исправленный текст; null — как предложен")
    deadline: dt.date
    responsible: str


class CloseIn(Schema):
    done: bool = Field(description="true — выполнено, false — не выполнено")
    outcome: str = Field(description="Что сделано; для невыполненной — причина (обязательна)")


class DecisionOut(Schema):
    id: int
    meeting_id: int
    item_position: int
    text: str
    responsible: str
    deadline: dt.date
    status: str = Field(description="planned, in_progress, done, not_done, cancelled")
    documents: str = Field(description="Номера и даты приказов")
    note: str


class DecisionIn(Schema):
    text: str
    responsible: str
    deadline: dt.date
    documents: str = ""


class ItemIn(Schema):
    heard: str = Field(description="Слушали")
    spoke: str = Field("", description="Выступили")
    decided: str = Field(description="Решили")
    decisions: list[DecisionIn] = Field(default_factory=list)


class ItemOut(Schema):
    position: int
    heard: str
    spoke: str
    decided: str
    decisions: list[DecisionOut]


class MeetingOut(Schema):
    id: int
    municipality_id: int
    date: dt.date
    kind: str = Field(description="working_group, coordination_council, directors_meeting, "
                                  "methodical_council")
    number: str
    agenda: str
    attendees: str


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]


class MeetingIn(Schema):
    municipality_id: int
    date: dt.date
    kind: str = "working_group"
    number: str = ""
    agenda: str
    attendees: str = ""
    items: list[ItemIn] = Field(default_factory=list)


class MeasureOut(Schema):
    id: int
    municipality_id: int
    year: int = Field(description="Учебный год (год начала)")
    section: str
    position: int
    measure: str = Field(description="Мероприятие")
    timing: str = Field(description="Сроки")
    due_on: dt.date | None
    responsible: str = Field(description="Ответственный")
    result: str = Field(description="Результат")
    status: str = Field(description="planned, done, not_done")


class MeasureIn(Schema):
    municipality_id: int
    year: int
    section: str = ""
    measure: str
    timing: str
    due_on: dt.date | None = None
    responsible: str
    result: str
    status: str = "planned"


def _rec(r: Recommendation) -> dict[str, Any]:
    return {"id": r.pk, "municipality_id": r.municipality_id, "school_id": r.school_id,
            "year": r.year, "addressee": r.addressee, "rule": r.rule, "subject": r.subject,
            "text": r.text, "basis": r.basis, "numbers": r.numbers, "status": r.status,
            "deadline": r.deadline, "responsible": r.responsible, "outcome": r.outcome,
            "has_file": bool(r.evidence_file)}


def _decision(d: Decision) -> dict[str, Any]:
    return {"id": d.pk, "meeting_id": d.item.meeting_id, "item_position": d.item.position,
            "text": d.text, "responsible": d.responsible, "deadline": d.deadline,
            "status": d.status, "documents": d.documents, "note": d.note}


def _meeting(m: Meeting, *, items: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"id": m.pk, "municipality_id": m.municipality_id, "date": m.date,
                             "kind": m.kind, "number": m.number, "agenda": m.agenda,
                             "attendees": m.attendees}
    if items:
        found["items"] = [{"position": i.position, "heard": i.heard, "spoke": i.spoke,
                           "decided": i.decided,
                           "decisions": [_decision(d) for d in i.decisions.all()]}
                          for i in m.items.prefetch_related("decisions__item")]
    return found


def _town(viewer: Viewer, pk: int) -> Any:
    found = next((m for m in viewer.municipalities() if m.pk == pk), None)
    if found is None:
        raise Http404("Муниципалитет не найден или недоступен")
    return found


@router.get("/recommendations", response=list[RecommendationOut], summary="Адресные рекомендации",
            description="Рекомендации в области видимости: координатор, методист и региональный "
                        "координатор — все по муниципалитету; администрация школы и куратор — "
                        "принятые рекомендации школе.")
@paginate(LimitOffsetPagination)
def recommendations(request: HttpRequest,
                    filters: Query[RecommendationFilter]) -> list[dict[str, Any]]:
    rows = recommendations_visible(Viewer.of(request.user))
    for name in ("status", "addressee"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.school is not None:
        rows = rows.filter(school_id=filters.school)
    if filters.municipality is not None:
        rows = rows.filter(municipality_id=filters.municipality)
    return [_rec(r) for r in rows.order_by("pk")]


@router.get("/recommendations/{pk}", response=RecommendationOut, summary="Рекомендация")
def recommendation(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _rec(recommendation_get(Viewer.of(request.user), pk))


@router.post("/recommendations/{pk}/accept", response=RecommendationOut,
             summary="Принять рекомендацию",
             description="Координатор муниципалитета: текст, срок и ответственный.")
def recommendation_accept(request: HttpRequest, pk: int, body: AcceptIn) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    record = recommendation_get(viewer, pk)
    found = services.recommendation_accept(by=request.user, record=record,
                                           text=body.text or record.text,
                                           deadline=body.deadline, responsible=body.responsible)
    return _rec(found)


@router.post("/recommendations/{pk}/close", response=RecommendationOut,
             summary="Отметить выполнение",
             description="Координатор или администрация школы (для рекомендаций школе): "
                         "выполнено (что сделано) или не выполнено (причина).")
def recommendation_close(request: HttpRequest, pk: int, body: CloseIn) -> dict[str, Any]:
    record = recommendation_get(Viewer.of(request.user), pk)
    return _rec(services.recommendation_close(by=request.user, record=record, done=body.done,
                                              outcome=body.outcome))


@router.get("/meetings", response=list[MeetingOut], summary="Заседания рабочей группы")
@paginate(LimitOffsetPagination)
def meetings(request: HttpRequest) -> list[dict[str, Any]]:
    return [_meeting(m) for m in meetings_visible(Viewer.of(request.user)).order_by("-date", "pk")]


@router.get("/meetings/{pk}", response=MeetingDetailOut,
            summary="Заседание: слушали, выступили, решили")
def meeting(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _meeting(meeting_get(Viewer.of(request.user), pk), items=True)


@router.post("/meetings", response={201: MeetingDetailOut}, summary="Записать заседание",
             description="Координатор муниципалитета: заседание с вопросами и решениями.")
def meeting_new(request: HttpRequest, body: MeetingIn) -> Status:
    viewer = Viewer.of(request.user)
    viewer.require(Action.MANAGE_DECISIONS, None, services.MANAGE)
    municipality = _town(viewer, body.municipality_id)
    created = services.meeting_create(by=request.user, municipality=municipality,
                                      date=body.date, kind=body.kind, agenda=body.agenda,
                                      attendees=body.attendees, number=body.number)
    for part in body.items:
        item = services.item_add(by=request.user, meeting=created, heard=part.heard,
                                 spoke=part.spoke, decided=part.decided)
        for d in part.decisions:
            services.decision_add(by=request.user, item=item, text=d.text,
                                  responsible=d.responsible, deadline=d.deadline,
                                  documents=d.documents)
    return Status(201, _meeting(created, items=True))


@router.get("/decisions", response=list[DecisionOut], summary="Управленческие решения",
            description="Решения заседаний в области видимости; overdue=true — просроченные.")
@paginate(LimitOffsetPagination)
def decisions(request: HttpRequest, overdue: bool = False) -> list[dict[str, Any]]:
    rows = decisions_visible(Viewer.of(request.user)).order_by("deadline", "pk")
    return [_decision(d) for d in rows if not overdue or d.overdue]


@router.get("/plan", response=list[MeasureOut], summary="Муниципальный план мероприятий",
            description="Строки плана в форме «Мероприятие / Сроки / Ответственный / Результат».")
@paginate(LimitOffsetPagination)
def plan(request: HttpRequest, municipality: int | None = None,
         year: int | None = None) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    ids = [m.pk for m in viewer.municipalities()]
    rows = PlanMeasure.objects.filter(municipality_id__in=ids)
    if municipality is not None:
        rows = rows.filter(municipality_id=municipality)
    if year is not None:
        rows = rows.filter(year=year)
    return [{"id": r.pk, "municipality_id": r.municipality_id, "year": r.year,
             "section": r.section, "position": r.position, "measure": r.measure,
             "timing": r.timing, "due_on": r.due_on, "responsible": r.responsible,
             "result": r.result, "status": r.status} for r in rows]


@router.post("/plan", response={201: MeasureOut}, summary="Добавить мероприятие в план")
def plan_new(request: HttpRequest, body: MeasureIn) -> Status:
    viewer = Viewer.of(request.user)
    viewer.require(Action.MANAGE_DECISIONS, None, services.MANAGE)
    municipality = _town(viewer, body.municipality_id)
    fields = body.dict(exclude={"municipality_id", "year"})
    r = services.measure_save(by=request.user, municipality=municipality, year=body.year,
                              fields=fields)
    return Status(201, {"id": r.pk, "municipality_id": r.municipality_id, "year": r.year,
                        "section": r.section, "position": r.position, "measure": r.measure,
                        "timing": r.timing, "due_on": r.due_on, "responsible": r.responsible,
                        "result": r.result, "status": r.status})
