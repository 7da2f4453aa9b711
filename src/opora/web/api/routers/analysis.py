"""Analysis runs and their flags with evidence — for those who see the overview and the runs
(coordinators, methodists, regional staff; 403 for school-level roles, as in the pages)."""


from dataclasses import replace
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from opora.engine.config import load_rules_text
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.models import DONE, AnalysisRun, RunFlag
from opora.web.analysis.official import card_run, run_approve, run_years
from opora.web.analysis.reconciliation import reconcile
from opora.web.analysis.selectors import run_get, visible_runs
from opora.web.analysis.whatif import Settings, whatif
from opora.web.api.routers.schools import flag_out
from opora.web.api.schemas import (
    ApprovedListOut,
    ApproveIn,
    FlagOut,
    ReconciliationOut,
    RunOut,
    WhatIfOut,
)
from opora.web.core.ordering import natural_key

router = Router(tags=["Расчёты"])
ANALYSTS_ONLY = ("Расчёты доступны координатору, методисту и региональному координатору; "
                 "отметки своей школы — в /schools/{id}/flags.")


def run_out(run: AnalysisRun) -> dict[str, Any]:
    approvals = [{"year": a.year, "basis": a.basis, "approved_at": a.approved_at,
                  "current": a.is_current} for a in run.approvals.all()]
    return {
        "approvals": approvals, "draft": run.status == DONE and not approvals,
        "id": run.pk, "scope": run.scope, "region_id": run.region_id,
        "municipality_id": run.municipality_id, "scope_name": run.scope_name,
        "status": run.status, "status_name": run.get_status_display(), "progress": run.progress,
        "message": run.message, "created_at": run.created_at, "started_at": run.started_at,
        "finished_at": run.finished_at, "year_from": run.year_from, "year_to": run.year_to,
        "rules_version": run.rules_version,
        "flag_counts": dict((run.run_json or {}).get("flag_counts") or {}),
        "school_counts": dict((run.run_json or {}).get("school_counts") or {}),
    }


class RunFilter(Schema):
    municipality: int | None = None
    status: str | None = None


@router.get("/runs", response=list[RunOut], summary="Расчёты",
            description="Расчёты по муниципалитетам пользователя (и по их регионам), новые сверху.")
@paginate(LimitOffsetPagination)
def runs(request: HttpRequest, filters: Query[RunFilter]) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_ANALYSIS, message=ANALYSTS_ONLY)
    municipalities = viewer.municipalities()
    if filters.municipality is not None:
        municipalities = [m for m in municipalities if m.pk == filters.municipality]
    found = (visible_runs(viewer, municipalities).prefetch_related("approvals")
             if municipalities else AnalysisRun.objects.none())
    if filters.status:
        found = found.filter(status=filters.status)
    return [run_out(r) for r in found.order_by("-created_at", "-pk")]


@router.get("/runs/{run_id}", response=RunOut, summary="Расчёт")
def run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return run_out(run_get(user=request.user, pk=run_id))


class FlagFilter(Schema):
    flag: str | None = None
    year: int | None = None
    municipality: int | None = None


@router.get("/runs/{run_id}/flags", response=list[FlagOut], summary="Отметки расчёта",
            description="Отметки школ в расчёте с обоснованием; только школы муниципалитетов "
                        "пользователя. Фильтры: flag (код отметки), year, municipality.")
@paginate(LimitOffsetPagination)
def run_flags(request: HttpRequest, run_id: int,
              filters: Query[FlagFilter]) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    found = run_get(user=request.user, pk=run_id)
    municipalities = {m.pk for m in viewer.municipalities()}
    if filters.municipality is not None:
        municipalities &= {filters.municipality}
    rows = (RunFlag.objects.filter(run=found, school__municipality_id__in=municipalities)
            .select_related("school").order_by("school__short_name", "school_id", "year", "flag"))
    if filters.flag:
        rows = rows.filter(flag=filters.flag)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    ordered = sorted(rows, key=lambda r: (natural_key(r.school.short_name), r.school_id, r.year,
                                          r.flag))  # «СОШ № 2» before «СОШ № 10» (issue 13)
    return [flag_out(r, r.school) for r in ordered]


@router.post("/runs/{run_id}/approve", response={201: ApprovedListOut},
             summary="Утвердить расчёт как официальный список",
             description="Координатор муниципалитета (расчёт по региону — региональный "
                         "координатор) утверждает готовый расчёт как официальный список года с "
                         "основанием. Прежний список того же года заменяется и остаётся в "
                         "истории.")
def approve(request: HttpRequest, run_id: int, body: ApproveIn) -> Status:
    found = run_get(user=request.user, pk=run_id)
    approved = run_approve(user=request.user, run=found, year=body.year, basis=body.basis)
    return Status(201, {"id": approved.pk, "run_id": found.pk, "year": approved.year,
                        "basis": approved.basis, "approved_at": approved.approved_at,
                        "schools": approved.inclusions.count()})


class WhatIfQuery(Schema):
    years: int | None = None
    min_low_years: int | None = None
    confidence: float | None = None
    min_gap_pct: float | None = None
    min_participants: int | None = None
    subjects: list[str] | None = None
    adverse_share_pct: float | None = None


@router.get("/runs/{run_id}/whatif", response=WhatIfOut,
            summary="Что если: список с другими настройками правила",
            description="Сколько школ было бы в каждой категории последнего года расчёта и кто "
                        "вошёл бы в действующий официальный список или вышел из него, если "
                        "изменить настройки (не указанные — как в расчёте). Для координатора "
                        "и регионального координатора.")
def run_whatif(request: HttpRequest, run_id: int,
               query: Query[WhatIfQuery]) -> dict[str, Any]:
    found = run_get(user=request.user, pk=run_id)
    Viewer.of(request.user).require(Action.TRY_RULES, found)
    base = Settings.of(load_rules_text(found.rules_text))
    chosen = {k: v for k, v in query.dict().items() if v is not None}
    if "subjects" in chosen:
        chosen["subjects"] = tuple(chosen["subjects"])
    result = whatif(found, replace(base, **chosen))
    if result.error:
        raise HttpError(422, result.error)
    return {"run_id": found.pk, "year": result.year, "rules_text": result.rules_text,
            "counts": {code: n for code, _, n in result.counts},
            "entering": [pk for pk, _ in result.entering],
            "leaving": [pk for pk, _ in result.leaving]}


class ReconciliationQuery(Schema):
    municipality: int
    year: int | None = None
    run: int | None = None


@router.get("/reconciliation", response=list[ReconciliationOut],
            summary="Сверка с официальными списками",
            description="Официальные списки года (ШНОР и ШНСУ министерства или региона, «500+», "
                        "федеральные маркеры необъективности) рядом с отметками Опоры того же "
                        "года: both — в списке и у Опоры, only_official — только в списке, "
                        "only_opora — только у Опоры; с обоснованием каждой стороны. Расчёт — "
                        "официальный (или run); год — последний год расчёта (или year).")
def reconciliation(request: HttpRequest,
                   query: Query[ReconciliationQuery]) -> list[dict[str, Any]]:
    viewer = Viewer.of(request.user)
    municipality = next((m for m in viewer.require_municipalities()
                         if m.pk == query.municipality), None)
    if municipality is None:
        raise HttpError(404, "Муниципалитет не найден или недоступен")
    if query.run is not None:
        found = visible_runs(viewer, [municipality]).filter(pk=query.run, status=DONE).first()
        if found is None:
            raise HttpError(404, "Расчёт не найден или недоступен")
    else:
        found = card_run(viewer, municipality)[0]
    if found is None:
        return []
    year = query.year or max(run_years(found), default=0)
    return [{"run_id": found.pk, "year": year, "school_id": r.school.pk,
             "school_key": r.school.key, "school_name": r.school.short_name,
             "list_kind": r.list_kind, "list_name": r.list_name, "agreement": r.agreement,
             "agreement_name": r.agreement_name, "official": r.official, "opora": r.opora}
            for r in reconcile(found, municipality, year)]
