"""Reports (issue 17): which reports the caller may build, building one as a file, and the open
data of the public МСОКО page — the last without a token (``auth=None``): approved lists as
counts, support totals and published documents only, as on the public page."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.official import current_lists
from opora.web.reports import public, services
from opora.web.reports.data import ReportDataMissing
from opora.web.reports.models import (
    KIND_CHOICES,
    KIND_INDICATORS,
    KIND_NOTE,
    KIND_PROTOCOL,
    KIND_REVIEW,
    KIND_SCHOOL,
)
from opora.web.reports.views import file_response
from opora.web.schools.models import Municipality

router = Router(tags=["Отчёты"])
REPORTS = ("Отчёты муниципалитета строят координатор, методист и региональный координатор; "
           "профиль школы — /reports/schools/{id}/profile.")


class ReportOut(Schema):
    kind: str
    kind_name: str
    municipality_id: int
    municipality: str
    year: int
    formats: list[str]
    url: str


class OpenRowOut(Schema):
    region: str
    municipality: str
    municipality_id: int
    year: int
    indicator: str
    indicator_name: str
    value: float
    unit: str


class PublishedOut(Schema):
    id: int
    municipality_id: int
    title: str
    year: int
    pdf_url: str
    docx_url: str


class BuildQuery(Schema):
    municipality: int
    year: int
    format: str = "docx"


class IndicatorsQuery(Schema):
    municipality: int
    year: int
    school: int | None = None
    format: str = "docx"


class ReviewQuery(Schema):
    review: int
    format: str = "docx"


@router.get("/reports", response=list[ReportOut], summary="Отчёты, которые можно построить",
            description="Справка, протокол и таблицы показателей по каждому утверждённому "
                        "списку года в муниципалитетах пользователя (экспертный лист — "
                        "/reports/review?review=…, профиль школы — /schools/{id}/profile).")
def reports(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_REPORTS, None, REPORTS)
    names = dict(KIND_CHOICES)
    found = []
    for town in viewer.municipalities():
        if not viewer.may(Action.SEE_REPORTS, town):
            continue
        for approved in current_lists(town):
            for kind in (KIND_NOTE, KIND_PROTOCOL, KIND_INDICATORS):
                if kind == KIND_INDICATORS and not viewer.may(Action.SEE_MONITORING, town):
                    continue
                found.append({"kind": kind, "kind_name": names[kind], "municipality_id": town.pk,
                              "municipality": town.name, "year": approved.year,
                              "formats": list(services.FORMATS),
                              "url": f"/api/v1/reports/{kind}?municipality={town.pk}"
                                     f"&year={approved.year}&format=docx"})
    return found


def _file(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    try:
        built = services.build(viewer=Viewer.of(request.user), **kwargs)
    except ReportDataMissing as error:
        raise HttpError(404, str(error)) from error
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from error
    return file_response(built.content, built.content_type, built.filename)


@router.get("/reports/indicators", summary="Построить таблицы показателей",
            description="Таблицы страниц «Мониторинг показателей» за год и два предыдущих: "
                        "муниципалитета и каждой его школы или (school) одной школы; DOCX, PDF "
                        "или XLSX (format). Права — как у страницы показателей; 404 с причиной "
                        "по-русски — муниципалитет или школа недоступны, за год нет данных.")
def indicators_file(request: HttpRequest, query: Query[IndicatorsQuery]) -> HttpResponse:
    viewer = Viewer.of(request.user)
    town = Municipality.objects.select_related("region").filter(pk=query.municipality).first()
    school = None
    if query.school is not None:
        school = viewer.school(query.school)  # 404 «Школа не найдена или недоступна»
        if school.municipality_id != query.municipality or \
                not viewer.may(Action.SEE_MONITORING, school):
            raise Http404("Школа не найдена или недоступна")
    elif town is None or not viewer.may(Action.SEE_MONITORING, town):
        raise Http404("Муниципалитет не найден или недоступен")
    return _file(request, kind=KIND_INDICATORS, fmt=query.format,
                 municipality=None if school else town, year=query.year, school=school)


@router.get("/reports/review", summary="Построить экспертный лист",
            description="Отправленный экспертом лист (review — его номер, как в адресе "
                        "страницы листа) документом DOCX, PDF или XLSX (format). Права — как у "
                        "страницы листа; 404 с причиной по-русски — лист не найден, недоступен "
                        "или ещё не отправлен.")
def review_file(request: HttpRequest, query: Query[ReviewQuery]) -> HttpResponse:
    return _file(request, kind=KIND_REVIEW, fmt=query.format, review=query.review)


@router.get("/reports/{kind}", summary="Построить справку или протокол",
            description="Файл DOCX, PDF или XLSX (format); 404 — нет утверждённого списка года.")
def report_file(request: HttpRequest, kind: str, query: Query[BuildQuery]) -> HttpResponse:
    if kind not in (KIND_NOTE, KIND_PROTOCOL):
        raise Http404("Нет такого отчёта: note или protocol")
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_REPORTS, None, REPORTS)
    town = next((m for m in viewer.municipalities() if m.pk == query.municipality
                 and viewer.may(Action.SEE_REPORTS, m)), None)
    if town is None:
        raise Http404("Муниципалитет не найден или недоступен")
    return _file(request, kind=kind, fmt=query.format, municipality=town, year=query.year)


@router.get("/schools/{school_id}/profile", summary="Профиль школы документом",
            description="Карточка школы как документ: DOCX, PDF или XLSX (format).")
def school_profile(request: HttpRequest, school_id: int, format: str = "docx") -> HttpResponse:
    school = Viewer.of(request.user).school(school_id)
    return _file(request, kind=KIND_SCHOOL, fmt=format, school=school)


@router.get("/public/indicators", response=list[OpenRowOut], auth=None,
            summary="Открытые данные МСОКО (без ключа)",
            description="Утверждённые списки числами и итоги сопровождения по муниципалитетам; "
                        "описание столбцов — /public/schema.json.")
def open_indicators(request: HttpRequest, municipality: int | None = None
                    ) -> list[dict[str, Any]]:
    towns = public.public_municipalities()
    if municipality is not None:
        towns = [m for m in towns if m.pk == municipality]
    return public.open_rows(towns)


@router.get("/public/documents", response=list[PublishedOut], auth=None,
            summary="Опубликованные документы (без ключа)")
def open_documents(request: HttpRequest) -> list[dict[str, Any]]:
    found = []
    for town in public.public_municipalities():
        for document in public.public_documents(town):
            found.append({"id": document.pk, "municipality_id": town.pk,
                          "title": document.title, "year": document.year,
                          "pdf_url": f"/public/documents/{document.pk}.pdf",
                          "docx_url": f"/public/documents/{document.pk}.docx"})
    return found
