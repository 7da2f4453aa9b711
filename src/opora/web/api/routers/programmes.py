"""School programmes (issue 15): risk profiles, document campaigns with the documents'
metadata, roadmaps with their measures, expert review and its sheets (rubrics) — read in the
Viewer's scope.

Scope as in the pages: risk profiles, documents and roadmaps of the schools the caller sees
(and those they are assigned to review); campaigns and review campaigns of the caller's
municipalities and of the schools they see; expert sheets: Опора's default and those of the
caller's municipalities. Files are never served here — only their names,
types, sizes and versions. Scores of a review round are shown to the municipality's staff, and
to the school once the coordinator has decided. The response schemas live here, beside the only
router that uses them.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from opora.glossary import MEASURE_STATUSES, programme_name
from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import DocumentVersion, RiskProfile
from opora.web.programmes.selectors.campaigns import (
    campaign_get,
    campaigns_visible,
    documents_visible,
)
from opora.web.programmes.selectors.reviews import item_results, items_visible
from opora.web.programmes.selectors.roadmaps import roadmap_get, roadmaps_visible, tree
from opora.web.programmes.selectors.rubrics import rubric_get, rubrics_visible

router = Router(tags=["Программы школ"])


class FactorOut(Schema):
    factor: str = Field(description="Код фактора риска (docs/glossary.md)")
    factor_name: str
    level: str = Field(description="low, medium, high")
    level_name: str
    score: float | None = Field(description="Балл 0–100; null — не указан")


class ProfileOut(Schema):
    id: int
    school_id: int
    school: str
    year: int
    catalogue: str = Field(description="Версия каталога факторов")
    source: str = Field(description="typed — введён в форму, imported — загружен из таблицы")
    factors: list[FactorOut]


class ProfileQuery(Schema):
    school: int | None = None
    year: int | None = None


@router.get("/programmes/profiles", response=list[ProfileOut], summary="Рисковые профили",
            description="Профили школ, которые видит пользователь; фильтры: school, year.")
@paginate(LimitOffsetPagination)
def profiles(request: HttpRequest, query: Query[ProfileQuery]) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    rows = RiskProfile.objects.filter(school__in=viewer.schools()).select_related(
        "school").prefetch_related("levels").order_by("school__number", "school_id", "year")
    if query.school is not None:
        rows = rows.filter(school_id=query.school)
    if query.year is not None:
        rows = rows.filter(year=query.year)
    return [{"id": p.pk, "school_id": p.school_id, "school": p.school.short_name,
             "year": p.year, "catalogue": p.catalogue, "source": p.source,
             "factors": [{"factor": x.factor, "factor_name": x.factor_name, "level": x.level,
                          "level_name": x.get_level_display(), "score": x.score}
                         for x in p.levels.all()]} for p in rows]


class VersionOut(Schema):
    number: int
    name: str = Field(description="Имя файла, как его загрузили")
    type: str
    size: int = Field(description="Байт")
    uploaded_at: dt.datetime


class DocumentOut(Schema):
    id: int
    campaign_id: int
    school_id: int
    slot: str = Field(description="Вид документа (код; для антирисковой программы — с фактором)")
    label: str = Field(description="Вид документа по-русски")
    status: str
    status_name: str
    versions: list[VersionOut]


class CampaignOut(Schema):
    id: int
    municipality_id: int
    title: str
    year: int
    deadline: dt.date
    slots: list[str]
    slot_names: list[str]
    school_ids: list[int] = Field(description="Школы кампании, которые видит пользователь")


class CampaignDetailOut(CampaignOut):
    documents: list[DocumentOut] = Field(description="Загруженные документы школ, которые "
                                                     "видит пользователь (без файлов)")


def _campaign_out(viewer: Viewer, campaign: Any) -> dict[str, Any]:
    seen = set(viewer.schools().values_list("pk", flat=True)) if not viewer.superuser else None
    ids = [s for s in campaign.campaign_schools.values_list("school_id", flat=True)
           if seen is None or s in seen]
    return {"id": campaign.pk, "municipality_id": campaign.municipality_id,
            "title": campaign.title, "year": campaign.year, "deadline": campaign.deadline,
            "slots": list(campaign.slots), "slot_names": [n for _, n in campaign.slot_labels],
            "school_ids": sorted(ids)}


@router.get("/programmes/campaigns", response=list[CampaignOut], summary="Кампании по документам",
            description="Кампании муниципалитетов пользователя и школ, которые он видит.")
@paginate(LimitOffsetPagination)
def campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    return [_campaign_out(viewer, c) for c in campaigns_visible(viewer).order_by("-deadline",
                                                                                 "-pk")]


@router.get("/programmes/campaigns/{campaign_id}", response=CampaignDetailOut,
            summary="Кампания по документам",
            description="Кампания и метаданные загруженных документов (версии: имя, тип, "
                        "размер, дата). Сами файлы через API не отдаются.")
def campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    found = campaign_get(viewer, campaign_id)
    versions = DocumentVersion.objects.order_by("number")
    documents = documents_visible(viewer).filter(campaign=found).prefetch_related(
        Prefetch("versions", versions)).order_by("school_id", "slot")
    return {**_campaign_out(viewer, found), "documents": [
        {"id": d.pk, "campaign_id": d.campaign_id, "school_id": d.school_id, "slot": d.slot,
         "label": d.label, "status": d.status, "status_name": d.get_status_display(),
         "versions": [{"number": v.number, "name": v.original_name, "type": v.file_type,
                       "size": v.size, "uploaded_at": v.uploaded_at} for v in d.versions.all()]}
        for d in documents]}


class RoadmapOut(Schema):
    id: int
    school_id: int
    school: str
    title: str
    first_year: int
    last_year: int
    status: str
    status_name: str
    measures: int = Field(description="Число мероприятий")
    approved_version: int | None = Field(description="Номер последней утверждённой версии")


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    direction: str
    baseline: float | None
    baseline_year: int | None
    targets: dict[str, float] = Field(description="Год → целевое значение")
    source: str


class MeasureOut(Schema):
    id: int
    title: str
    deadline: dt.date | None
    responsible: str = Field(description="Ответственный (как записан в кадрах школы)")
    status: str = Field(description="planned, in_progress, done, cancelled; overdue — срок "
                                    "прошёл, а мероприятие не выполнено")
    status_name: str
    done_on: dt.date | None
    evidence: int = Field(description="Число подтверждений выполнения")


class TaskOut(Schema):
    id: int
    title: str
    indicators: list[IndicatorOut]
    measures: list[MeasureOut]


class GoalOut(Schema):
    id: int
    title: str
    tasks: list[TaskOut]


class ProblemOut(Schema):
    id: int
    title: str
    risk_factors: list[str]
    flags: list[str]
    goals: list[GoalOut]


class RoadmapDetailOut(RoadmapOut):
    problems: list[ProblemOut]


def _roadmap_out(roadmap: Any) -> dict[str, Any]:
    return {"id": roadmap.pk, "school_id": roadmap.school_id,
            "school": roadmap.school.short_name, "title": roadmap.title,
            "first_year": roadmap.first_year, "last_year": roadmap.last_year,
            "status": roadmap.status, "status_name": roadmap.get_status_display(),
            "measures": getattr(roadmap, "measure_count", 0),
            "approved_version": getattr(roadmap, "approved_number", None)}


@router.get("/programmes/roadmaps", response=list[RoadmapOut], summary="Дорожные карты",
            description="Дорожные карты школ, которые видит пользователь, и те, что ему "
                        "поручено оценить; фильтр school.")
@paginate(LimitOffsetPagination)
def roadmaps(request: HttpRequest, school: int | None = None) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    rows = roadmaps_visible(viewer).select_related("school").annotate(
        measure_count=Count("problems__goals__tasks__measures", distinct=True),
        approved_number=Max("versions__number")).order_by("school__number", "school_id", "pk")
    if school is not None:
        rows = rows.filter(school_id=school)
    return [_roadmap_out(r) for r in rows]


@router.get("/programmes/roadmaps/{roadmap_id}", response=RoadmapDetailOut,
            summary="Дорожная карта",
            description="Проблемы → цели → задачи → показатели и мероприятия с их состоянием "
                        "на сегодня.")
def roadmap(request: HttpRequest, roadmap_id: int) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    found = roadmap_get(viewer, roadmap_id)
    today = timezone.localdate()
    problems = tree(found)
    last = found.versions.order_by("-number").first()
    measures = sum(1 for p in problems for g in p.goals.all() for t in g.tasks.all()
                   for _ in t.measures.all())
    found_out = _roadmap_out(found)
    found_out.update(measures=measures, approved_version=last.number if last else None)

    def measure_out(m: Any) -> dict[str, Any]:
        shown = m.shown_status(today)
        return {"id": m.pk, "title": m.title, "deadline": m.deadline,
                "responsible": m.responsible.name if m.responsible_id else "",
                "status": shown, "status_name": programme_name(MEASURE_STATUSES, shown),
                "done_on": m.done_on, "evidence": len(m.evidence.all())}

    return {**found_out, "problems": [
        {"id": p.pk, "title": p.title, "risk_factors": list(p.risk_factors),
         "flags": list(p.flags), "goals": [
             {"id": g.pk, "title": g.title, "tasks": [
                 {"id": t.pk, "title": t.title,
                  "indicators": [{"id": i.pk, "name": i.name, "unit": i.unit,
                                  "direction": i.direction, "baseline": i.baseline,
                                  "baseline_year": i.baseline_year,
                                  "targets": {str(k): float(v) for k, v in
                                              (i.targets or {}).items()},
                                  "source": i.source} for i in t.indicators.all()],
                  "measures": [measure_out(m) for m in t.measures.all()]}
                 for t in g.tasks.all()]} for g in p.goals.all()]} for p in problems]}


class CriterionScoreOut(Schema):
    code: str = Field(description="Буква критерия (а–д для листа по умолчанию)")
    title: str
    max_score: int
    mean: float | None = Field(description="Средний балл по заполненным листам")
    disagreement: bool = Field(description="Баллы экспертов расходятся на 2 и больше")


class ReviewItemOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    school_id: int
    subject: str = Field(description="Что оценивается: вид документа или «Дорожная карта»")
    document_id: int | None
    roadmap_id: int | None
    round: int
    decision: str = Field(description="accept, revise; пусто — решения ещё нет")
    decision_name: str
    decision_comment: str
    sheets: int = Field(description="Число заполненных экспертных листов")
    criteria: list[CriterionScoreOut] = Field(description="Пусто, пока школа не может видеть "
                                                          "оценки (до решения)")


@router.get("/programmes/reviews", response=list[ReviewItemOut], summary="Экспертиза",
            description="Работы на экспертизе (раунды) в области видимости: муниципалитеты "
                        "пользователя, его школы и работы, которые ему поручено оценить.")
@paginate(LimitOffsetPagination)
def reviews(request: HttpRequest, school: int | None = None) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    rows = items_visible(viewer).select_related("campaign__municipality", "campaign__rubric",
                                                "document").prefetch_related(
        "assignments__scores", "campaign__rubric__criteria").order_by("campaign_id",
                                                                      "school_id", "round", "pk")
    if school is not None:
        rows = rows.filter(school_id=school)
    result = []
    for item in rows:
        criteria = list(item.campaign.rubric.criteria.all())
        results = item_results(item, criteria)
        shown = bool(item.decision) or viewer.may(Action.SEE_PROGRAMMES,
                                                  item.campaign.municipality)
        result.append({
            "id": item.pk, "campaign_id": item.campaign_id, "campaign": item.campaign.title,
            "school_id": item.school_id, "subject": item.subject_label,
            "document_id": item.document_id, "roadmap_id": item.roadmap_id,
            "round": item.round, "decision": item.decision,
            "decision_name": item.get_decision_display() if item.decision else "",
            "decision_comment": item.decision_comment, "sheets": len(results.sheets),
            "criteria": [{"code": c.criterion.code, "title": c.criterion.title,
                          "max_score": c.criterion.max_score, "mean": c.mean,
                          "disagreement": c.disagreement} for c in results.criteria]
            if shown else []})
    return result


class RubricCriterionOut(Schema):
    code: str = Field(description="Буква критерия (а, б, в …) по порядку")
    position: int
    title: str
    description: str
    min_score: int
    max_score: int
    descriptors: dict[str, str] = Field(description="Описания баллов: балл → текст")


class RubricOut(Schema):
    id: int
    municipality_id: int | None = Field(description="null — лист Опоры по умолчанию")
    title: str
    is_default: bool
    criteria: list[RubricCriterionOut]


def _rubric(rubric: Any) -> dict[str, Any]:
    return {"id": rubric.pk, "municipality_id": rubric.municipality_id, "title": rubric.title,
            "is_default": rubric.is_default,
            "criteria": [{"code": c.code, "position": c.position, "title": c.title,
                          "description": c.description, "min_score": c.min_score,
                          "max_score": c.max_score, "descriptors": c.descriptors or {}}
                         for c in rubric.criteria.all()]}


@router.get("/programmes/rubrics", response=list[RubricOut], summary="Экспертные листы",
            description="Лист по умолчанию (критерии а–д) и листы муниципалитетов "
                        "пользователя, с критериями, шкалами и описаниями баллов.")
@paginate(LimitOffsetPagination)
def rubrics(request: HttpRequest) -> list[dict[str, Any]]:
    return [_rubric(r) for r in rubrics_visible(Viewer.of(request.user)).order_by(
        "-is_default", "municipality_id", "title", "pk")]


@router.get("/programmes/rubrics/{rubric_id}", response=RubricOut, summary="Экспертный лист")
def rubric(request: HttpRequest, rubric_id: int) -> dict[str, Any]:
    return _rubric(rubric_get(Viewer.of(request.user), rubric_id))
