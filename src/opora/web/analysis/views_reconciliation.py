"""«Сверка с официальными списками»: official lists beside Опора's flags (reconciliation.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opora.web.accounts.scope import Viewer
from opora.web.analysis.official import card_run, run_years
from opora.web.analysis.reconciliation import (
    AGREEMENT_NAMES,
    available_lists,
    counts,
    reconcile,
    rows_to_xlsx,
)
from opora.web.analysis.selectors import visible_runs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    municipalities = viewer.require_municipalities()
    chosen = _int(request, "municipality")
    municipality = next((m for m in municipalities if m.pk == chosen), None) \
        if chosen else municipalities[0]
    if municipality is None:
        raise Http404("Муниципалитет не найден или недоступен")
    run_pk = _int(request, "run")
    if run_pk is not None:
        run = visible_runs(viewer, [municipality]).filter(pk=run_pk, status="done").first()
        if run is None:
            raise Http404("Расчёт не найден или недоступен")
    else:
        run = card_run(viewer, municipality)[0]
    years = run_years(run) if run is not None else []
    year = _int(request, "year") or (max(years) if years else None)
    rows = reconcile(run, municipality, year) if run is not None and year else []
    agreement = request.GET.get("agreement", "")
    shown = [r for r in rows if r.agreement == agreement] if agreement in AGREEMENT_NAMES else rows
    title = (f"Сверка официальных списков {year} года с отметками Опоры: {municipality.name}"
             if year else f"Сверка официальных списков: {municipality.name}")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(rows_to_xlsx(shown, title=title), content_type=XLSX)
        response["Content-Disposition"] = (f'attachment; filename="opora-reconciliation-'
                                           f'{municipality.pk}-{year}.xlsx"')
        return response
    return render(request, "analysis/reconciliation.html", {
        "title": title, "municipalities": municipalities, "municipality": municipality,
        "run": run, "years": years, "year": year, "rows": shown, "counts": counts(rows),
        "agreements": list(AGREEMENT_NAMES.items()), "agreement": agreement,
        "lists": available_lists(municipality, year) if year else []})
