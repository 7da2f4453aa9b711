"""Municipalities and schools, with the card's passport, flags and results — the Viewer's scope.

A school outside the caller's scope is «not found» (404), as in the pages: its existence is not
disclosed. Flags and results are those of the run the school card shows (the newest finished run
covering the school's municipality) unless ``run`` names another finished run covering it.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from opora.glossary import flag_label
from opora.web.accounts.scope import Viewer
from opora.web.analysis.models import DONE, AnalysisRun, RunFlag, RunSchoolStat
from opora.web.analysis.official import card_run
from opora.web.analysis.selectors import visible_runs
from opora.web.api.schemas import (
    FlagOut,
    MunicipalityOut,
    ResultOut,
    SchoolDetailOut,
    SchoolOut,
)
from opora.web.context.forms import EDITABLE_FIELDS, label_of, unit_of
from opora.web.context.models import ContextPassport
from opora.web.context.selectors import school_year
from opora.web.schools.models import Municipality, School

router = Router(tags=["Школы"])


def _viewer(request: HttpRequest) -> Viewer:
    return Viewer.of(request.user)


def school_out(school: School) -> dict[str, Any]:
    return {
        "id": school.pk, "key": school.key, "number": school.number,
        "short_name": school.short_name, "full_name": school.full_name, "kind": school.kind,
        "municipality_id": school.municipality_id, "municipality": school.municipality.name,
        "region": school.municipality.region.name, "fis_oko_login": school.fis_oko_login,
        "microdistrict": school.microdistrict, "address": school.address,
        "latitude": school.latitude, "longitude": school.longitude,
        "active_from": school.active_from, "active_to": school.active_to,
    }


@router.get("/municipalities", response=list[MunicipalityOut], summary="Муниципалитеты",
            description="Муниципалитеты, которые видит пользователь: свои (координатор, методист),"
                        " своего региона (региональный координатор), муниципалитеты своих школ.")
@paginate(LimitOffsetPagination)
def municipalities(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    analysed = [m.pk for m in viewer.municipalities()]
    found = (Municipality.objects.filter(Q(pk__in=analysed)
                                         | Q(pk__in=viewer.schools().values("municipality_id")))
             .select_related("region").order_by("name", "pk"))
    return [{"id": m.pk, "name": m.name, "region_id": m.region_id, "region": m.region.name}
            for m in found]


class SchoolFilter(Schema):
    municipality: int | None = None
    q: str | None = None


@router.get("/schools", response=list[SchoolOut], summary="Школы",
            description="Школы в области видимости пользователя; municipality — id "
                        "муниципалитета, q — часть наименования или ключа.")
@paginate(LimitOffsetPagination)
def schools(request: HttpRequest, filters: Query[SchoolFilter]) -> list[dict[str, Any]]:
    found: QuerySet[School] = _viewer(request).schools().select_related("municipality__region")
    if filters.municipality is not None:
        found = found.filter(municipality_id=filters.municipality)
    if filters.q:
        found = found.filter(Q(short_name__icontains=filters.q) | Q(key__icontains=filters.q)
                             | Q(full_name__icontains=filters.q))
    return [school_out(s) for s in found.order_by("municipality__name", "number", "short_name")]


def _passports(school: School) -> list[dict[str, Any]]:
    rows = ContextPassport.objects.filter(school=school).order_by("year")
    return [{"year": p.year, "school_year": school_year(p.year), "source": p.source,
             "values": [{"code": name, "name": label_of(name), "unit": unit_of(name),
                         "value": getattr(p, name)} for name in EDITABLE_FIELDS]}
            for p in rows]


@router.get("/schools/{school_id}", response=SchoolDetailOut, summary="Школа",
            description="Сведения о школе и её социальный паспорт по учебным годам.")
def school(request: HttpRequest, school_id: int) -> dict[str, Any]:
    found = _viewer(request).school(school_id)
    return {**school_out(found), "passports": _passports(found)}


def _run_for(viewer: Viewer, school: School, run: int | None) -> AnalysisRun | None:
    """The run the card shows for ``school`` (the official list; a draft only for those who see
    drafts), or the finished run ``run`` if it covers the school and the caller may see it."""
    if run is None:
        return card_run(viewer, school.municipality)[0]
    found = (visible_runs(viewer, [school.municipality]).filter(pk=run, status=DONE)
             .select_related(None).first())
    if found is None:
        raise Http404("Расчёт не найден, не завершён или не охватывает эту школу")
    return found


class RunChoice(Schema):
    run: int | None = None
    year: int | None = None


@router.get("/schools/{school_id}/flags", response=list[FlagOut], summary="Отметки школы",
            description="Отметки школы (ШНОР, ШНСУ, …) с обоснованием по официальному списку, "
                        "который показывает карточка (или по расчёту run).")
def school_flags(request: HttpRequest, school_id: int,
                 choice: Query[RunChoice]) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    found = viewer.school(school_id)
    run = _run_for(viewer, found, choice.run)
    if run is None:
        return []
    rows = RunFlag.objects.filter(run=run, school=found).order_by("year", "flag")
    if choice.year is not None:
        rows = rows.filter(year=choice.year)
    return [flag_out(r, found) for r in rows]


def flag_out(row: RunFlag, school: School) -> dict[str, Any]:
    return {"run_id": row.run_id, "school_id": school.pk, "school_key": school.key,
            "school_name": school.short_name, "flag": row.flag, "flag_name": flag_label(row.flag),
            "year": row.year, "evidence": row.evidence}


class ResultFilter(RunChoice):
    procedure: str | None = None
    subject: str | None = None


_RESULT_FIELDS = ("procedure", "subject", "grade", "year", "participants", "mean_pct",
                  "mean_score", "fail_share_pct", "region_mean_pct", "gap_pct", "gap_low_pct",
                  "gap_high_pct", "status", "region_source")


@router.get("/schools/{school_id}/results", response=list[ResultOut],
            summary="Результаты школы с интервалами",
            description="Результаты школы по процедурам, предметам, классам и годам рядом с "
                        "регионом: разница и её 95 % интервал, как в карточке школы.")
def school_results(request: HttpRequest, school_id: int,
                   filters: Query[ResultFilter]) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    found = viewer.school(school_id)
    run = _run_for(viewer, found, filters.run)
    if run is None:
        return []
    rows = RunSchoolStat.objects.filter(run=run, school=found)
    for name in ("procedure", "subject", "year"):
        value = getattr(filters, name)
        if value is not None:
            rows = rows.filter(**{name: value})
    return [{"run_id": run.pk, "school_id": found.pk,
             **{name: getattr(r, name) for name in _RESULT_FIELDS}}
            for r in rows.order_by("procedure", "subject", "grade", "year")]
