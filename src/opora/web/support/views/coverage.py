"""«Кто получил помощь»: the coverage page of a municipality's schools in the system."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from opora.web.accounts.models import CURATOR
from opora.web.accounts.scope import Action, Viewer
from opora.web.core.fragments import Fragment
from opora.web.schools.models import Municipality
from opora.web.support.coverage import QUIET_DAYS, coverage, school_year_start
from opora.web.support.versions import cached_part

COVERAGE = ("Страница «Кто получил помощь» — для координатора, методиста, куратора и "
            "регионального координатора.")


def coverage_municipalities(viewer: Viewer) -> list[Municipality]:
    """Where the viewer reads coverage: their municipalities, and a curator's schools' ones."""
    found = {m.pk: m for m in viewer.municipalities()}
    for a in viewer.assignments:
        if a.role == CURATOR and a.school is not None:
            found.setdefault(a.school.municipality_id, a.school.municipality)
    return sorted(found.values(), key=lambda m: (m.name.casefold(), m.pk))


def _date(text: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return default


@login_required
@require_GET
def coverage_page(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_COVERAGE, None, COVERAGE)
    towns = coverage_municipalities(viewer)
    if not towns:
        raise Http404("Нет муниципалитета для страницы охвата")
    chosen = request.GET.get("municipality", "")
    town = next((m for m in towns if str(m.pk) == chosen), None) if chosen else towns[0]
    if town is None:
        raise Http404("Муниципалитет не найден или недоступен")
    viewer.require(Action.SEE_COVERAGE, town, COVERAGE)
    today = timezone.localdate()
    start = _date(request.GET.get("from", ""), school_year_start(today))
    end = _date(request.GET.get("to", ""), today)
    if end < start:
        start, end = end, start
    mine = request.GET.get("mine") == "1"
    curator_only = not viewer.superuser and town.pk not in viewer.municipal_ids() \
        and town.region_id not in viewer.regional_ids()

    def build() -> Fragment:
        found = coverage(viewer, town, start=start, end=end, mine=mine)
        return Fragment(render_to_string("support/_coverage_body.html", {
            "coverage": found, "towns": towns, "town": town, "quiet_days": QUIET_DAYS,
            "curator_only": curator_only,
            "may_mine": bool(viewer.municipal_ids() or viewer.curated_ids())}))

    key = (f"support-coverage:u{request.user.pk}:m{town.pk}:{start.isoformat()}:"
           f"{end.isoformat()}:{int(mine)}:t{today.isoformat()}")
    return render(request, "support/coverage.html", {
        "curator_only": curator_only, "body": cached_part(key, build).html})
