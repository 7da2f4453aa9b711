"""Pages of the indicators: the municipality's table, a school's table, «что посчитано»."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from opora.web.accounts.scope import Action, Viewer
from opora.web.core.ordering import natural_key
from opora.web.monitoring import drill
from opora.web.monitoring.catalogue import CURRENT, catalogue_for, indicator
from opora.web.monitoring.selectors import (
    default_years,
    municipal_table,
    municipal_values_by_year,
    school_table,
    school_values_by_year,
)
from opora.web.schools.models import Municipality

MAX_YEARS = 6


def _years(request: HttpRequest) -> list[int]:
    try:
        to = int(request.GET.get("to") or 0) or None
        n = int(request.GET.get("years") or 3)
    except ValueError:
        to, n = None, 3
    return default_years(to, max(3, min(n, MAX_YEARS)))


def _municipality(request: HttpRequest, viewer: Viewer) -> tuple[Municipality | None,
                                                                   list[Municipality]]:
    choices = [m for m in viewer.municipalities() if viewer.may(Action.SEE_MONITORING, m)]
    wanted = request.GET.get("municipality")
    if wanted:
        found = next((m for m in choices if str(m.pk) == wanted), None)
        if found is None:
            raise Http404("Муниципалитет не найден или недоступен")
        return found, choices
    return (choices[0] if choices else None), choices


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The municipality's indicators, or for a school-level role the list of their schools."""
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_MONITORING)
    municipality, choices = _municipality(request, viewer)
    years = _years(request)
    if municipality is None:
        schools = sorted(viewer.schools().select_related("municipality"),
                         key=lambda s: natural_key(s.short_name))
        if len(schools) == 1:
            return redirect("monitoring:school", pk=schools[0].pk)
        return render(request, "monitoring/schools.html", {"schools": schools})
    rows, listed = municipal_table(municipality, years)
    schools = sorted(municipality.schools.all(), key=lambda s: natural_key(s.short_name))
    return render(request, "monitoring/municipality.html", {
        "municipality": municipality, "choices": choices, "years": years, "rows": rows,
        "listed": [(year, *listed[year]) for year in years], "schools": schools,
        "catalogue": catalogue_for(years[-1]),
        "can_effect": viewer.may(Action.SEE_EFFECTIVENESS, municipality),
        "can_type": viewer.may(Action.TYPE_INDICATOR)})


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    found = viewer.school(pk)
    viewer.require(Action.SEE_MONITORING, found)
    years = _years(request)
    return render(request, "monitoring/school.html", {
        "school": found, "years": years, "rows": school_table(found, years),
        "catalogue": catalogue_for(years[-1]),
        "can_type": viewer.may(Action.TYPE_INDICATOR, found)})


@login_required
def facts(request: HttpRequest) -> HttpResponse:
    """«Что посчитано»: the facts behind one number."""
    viewer = Viewer.of(request.user)
    ind = indicator(request.GET.get("indicator", ""))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        raise Http404("Год не указан") from None
    if ind is None:
        raise Http404("Нет такого показателя")
    if request.GET.get("school"):
        where = viewer.school(int(request.GET["school"]))
        viewer.require(Action.SEE_MONITORING, where)
        counted = school_values_by_year([where], [year])[(where.pk, year)].get(ind.code)
        title = where.short_name
    else:
        town = get_object_or_404(Municipality.objects.select_related("region"),
                                 pk=request.GET.get("municipality") or 0)
        if not viewer.may(Action.SEE_MONITORING, town):
            raise Http404("Муниципалитет не найден или недоступен")
        counted = municipal_values_by_year(town, [year])[0][year].get(ind.code)
        title = town.name
    if counted is None:
        raise Http404("Нет значения")
    return render(request, "monitoring/facts.html", {
        "indicator": ind, "year": year, "title": title, "counted": counted,
        "found": drill.explain(counted, year), "catalogue": CURRENT})
