"""Pages of the analysis: the overview, its XLSX export, the runs, one run and its progress.

Thin views: scope and role checks live in the selectors and services (403 without a municipal
role, 404 for a run or municipality outside the scope, 403 for starting a run without being the
municipality's coordinator).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opora.glossary import LOW_RESULTS_FLAGS, RUN_OUTPUTS, RUN_STAGES, flag_label
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.comparison import run_comparison
from opora.web.analysis.forms import RunStartForm
from opora.web.analysis.labels import (
    engine_name,
    flags_in_order,
    in_order,
    output_name,
    run_message,
    stage_name,
)
from opora.web.analysis.models import DONE, RunFlag
from opora.web.analysis.overview import (
    OverviewQuery,
    export_rows,
    flag_evidence,
    overview_body,
    overview_rows,
)
from opora.web.analysis.selectors import previous_finished_run, run_get, visible_runs
from opora.web.analysis.services import run_start
from opora.web.analysis.stopping import run_cancel
from opora.web.analysis.unpaired import unpaired_of_run
from opora.web.analysis.views_official import official_context
from opora.web.analysis.views_whatif import whatif_context
from opora.web.core.background import stalled_minutes
from opora.web.core.exports import flags_to_xlsx
from opora.web.schools.models import Region, School

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    partial = bool(request.headers.get("HX-Request"))  # the filters and sort links: the list
    body, built = overview_body(user=request.user, query=OverviewQuery.from_get(request.GET),
                                path=request.get_full_path(), partial=partial)
    if partial:
        return HttpResponse(body)
    return render(request, "analysis/overview.html", {**built, "body_html": body})


@login_required
@require_GET
def overview_evidence(request: HttpRequest, pk: int, school: int) -> HttpResponse:
    """The evidence a flag of the overview shows when opened (an htmx fragment)."""
    year = request.GET.get("year", "")
    data = flag_evidence(user=request.user, run_id=pk, school_id=school,
                         flag=request.GET.get("flag", ""),
                         year=int(year) if year.isdigit() and len(year) == 4 else None)
    return render(request, "analysis/_flag_evidence.html", data)


@login_required
@require_GET
def overview_export(request: HttpRequest) -> HttpResponse:
    data = overview_rows(user=request.user, query=OverviewQuery.from_get(request.GET))
    run = data["run"]
    if run is None:
        raise PermissionDenied("Выгружать нечего: по муниципалитету ещё нет готового расчёта.")
    rows, measures = export_rows(data)
    body = flags_to_xlsx(rows, title=f"Обзор: {data['municipality'].name}",
                         run_label=f"№ {run.pk} от {timezone.localtime(run.finished_at):%d.%m.%Y %H:%M}",
                         measures=measures)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="opora-overview-run-{run.pk}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def runs_page(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    municipalities = viewer.require_municipalities()
    startable = viewer.coordinated_municipalities()
    form = None
    if request.method == "POST":
        if not startable:
            raise PermissionDenied("Запускать расчёт может только координатор муниципалитета.")
        form = RunStartForm(request.POST, request.FILES, municipalities=startable,
                            regions=_regions(request.user))
        if form.is_valid():
            data = form.cleaned_data
            region = data.get("region")
            run = run_start(user=request.user, region=region,
                            municipality=None if region else data["municipality"],
                            year_from=data["year_from"], year_to=data["year_to"],
                            rules_text=data["rules"])
            return redirect("analysis:run", pk=run.pk)
    elif startable:
        form = RunStartForm(municipalities=startable, regions=_regions(request.user))
    runs = list(visible_runs(viewer, municipalities).prefetch_related("approvals")
                .order_by("-created_at", "-pk")[:100])
    return render(request, "analysis/runs.html", {"runs": runs, "form": form},
                  status=400 if form is not None and form.errors else 200)


def _regions(user: Any) -> list[Region]:
    """Regions a region-wide run may be started for: superusers only (read-only regional staff;
    a region run is an administrator's job)."""
    return list(Region.objects.order_by("name")) if Viewer.of(user).may(Action.START_RUN) else []


@login_required
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = run_get(user=request.user, pk=pk)
    previous = previous_finished_run(run)
    comparison = None
    if previous is not None:
        comparison = run_comparison(run=run, previous=previous,
                                    municipalities=Viewer.of(request.user).require_municipalities())
    municipalities = Viewer.of(request.user).municipalities()
    # schools with each flag in the last year (issue 12: schools, not flags, as the overview
    # counts); a run stored before school_counts existed shows its flag counts, and says so
    school_counts = run.run_json.get("school_counts")
    counted = school_counts if isinstance(school_counts, dict) else (
        run.run_json.get("flag_counts") or {})
    flag_counts = [(flag_label(code), n) for code, n in flags_in_order(counted)]
    return render(request, "analysis/run.html", {
        **_status_context(request, run), **official_context(request, run),
        **whatif_context(request, run),
        "previous": previous, "comparison": comparison,
        "flag_counts": flag_counts, "counts_are_schools": isinstance(school_counts, dict),
        "low_schools": _low_schools(run),
        "unpaired": unpaired_of_run(run, School.objects.filter(
            municipality__in=[m.pk for m in municipalities])),
        "engine_name": engine_name(run.engine),
        "timings": [(stage_name(k), v) for k, v in in_order(RUN_STAGES, run.timings)],
        "counts": [(output_name(k), len(v) if isinstance(v, list) else v)
                   for k, v in in_order(RUN_OUTPUTS, run.counts)],
        "other_settings": previous is not None and (
            (previous.rules_text, previous.year_from, previous.year_to)
            != (run.rules_text, run.year_from, run.year_to))})


def _low_schools(run: Any) -> int | None:
    """Schools ШНОР by either rule or persistently low in the run's last year: the overview's
    «ШНОР» (issue 12: the run page and the overview count the same thing); none before a run
    has finished."""
    years = run.run_json.get("years_analysed") or []
    if run.status != DONE or not years:
        return None
    return (RunFlag.objects.filter(run=run, year=years[-1], flag__in=LOW_RESULTS_FLAGS)
            .values("school").distinct().count())


@login_required
@require_GET
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the run page polls every second while the run is active.

    Polled by the page (htmx) and no longer active, the run has just ended: the fragment then
    brings in the whole page — results, stage times, the comparison — without a reload (issue
    13: the page used to say only «Готово» until the user reloaded it).
    """
    run = run_get(user=request.user, pk=pk)
    context = _status_context(request, run)
    context["just_finished"] = bool(request.headers.get("HX-Request")) and not run.is_active
    return render(request, "analysis/_run_status.html", context)


def _status_context(request: HttpRequest, run: Any, notice: str = "") -> dict[str, Any]:
    return {"run": run, "may_cancel": run.is_active and Viewer.of(request.user).may(Action.CANCEL_RUN, run),
            "stalled_minutes": stalled_minutes(), "notice": notice,
            "run_message": run_message(run)}


@login_required
@require_POST
def run_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued run, or ask a running one to stop (the coordinator's button).

    htmx gets the refreshed status fragment; a plain form is sent back to the run page.
    """
    run = run_get(user=request.user, pk=pk)
    notice = ""
    try:
        run = run_cancel(user=request.user, run=run)
    except ValidationError as exc:
        notice = " ".join(exc.messages)
    if request.headers.get("HX-Request"):
        return render(request, "analysis/_run_status.html",
                      _status_context(request, run, notice))
    return redirect("analysis:run", pk=run.pk)

