"""The effectiveness analysis page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from opora.web.accounts.scope import Action, Viewer
from opora.web.charts.base import spec_json
from opora.web.charts.effectiveness import effect_chart
from opora.web.monitoring.effect import analyse


@login_required
def effectiveness(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_EFFECTIVENESS)
    choices = [m for m in viewer.municipalities() if viewer.may(Action.SEE_EFFECTIVENESS, m)]
    wanted = request.GET.get("municipality")
    municipality = next((m for m in choices if str(m.pk) == wanted), None) if wanted else \
        (choices[0] if choices else None)
    if municipality is None:
        raise Http404("Муниципалитет не найден или недоступен")
    analysis = analyse(municipality)
    charts = []
    for year in analysis.entry_years:
        rows = [{"work": r.work, "effect": r.effect.effect, "low": r.effect.low,
                 "high": r.effect.high, "treated": r.effect.treated,
                 "controls": r.effect.controls}
                for r in analysis.rows if r.effect.entry_year == year]
        if any(r["effect"] is not None for r in rows):
            charts.append(spec_json(effect_chart(
                rows, title=f"Вошедшие в систему в {year} году: эффект с интервалом 95 %")))
    return render(request, "monitoring/effectiveness.html", {
        "municipality": municipality, "choices": choices, "analysis": analysis,
        "charts": charts, "can_effect": True,
        "can_type": viewer.may(Action.TYPE_INDICATOR)})
