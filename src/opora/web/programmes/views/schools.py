"""A school's programme page (profile, documents, roadmap, reviews, reminders), its part on the
school card, and the section's home."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opora.glossary import risk_catalogue
from opora.web.accounts.scope import Action
from opora.web.charts.base import spec_json
from opora.web.charts.risk_profile import risk_profile_chart, risk_profile_data
from opora.web.programmes.monitoring import progress_by_school
from opora.web.programmes.reminders import notices
from opora.web.programmes.selectors.campaigns import school_campaigns
from opora.web.programmes.selectors.profiles import (
    factor_order,
    profile_changes,
    school_profiles,
)
from opora.web.programmes.selectors.reviews import my_assignments, school_items
from opora.web.programmes.selectors.roadmaps import current_roadmap
from opora.web.programmes.views.common import viewer_of
from opora.web.schools.models import School


def profile_part(school: School, years: int = 3) -> dict[str, Any]:
    """The profile chart (the last ``years`` years) and the change between the last two."""
    profiles = school_profiles(school)
    if not profiles:
        return {"profiles": [], "chart": None, "changes": []}
    latest, shown = profiles[0], profiles[:years][::-1]
    order = factor_order(risk_catalogue(latest.year), *shown)
    data = risk_profile_data([(p.year, [(r.factor, r.level, r.score) for r in p.levels.all()])
                              for p in shown], order)
    names = list(dict.fromkeys(row["factor"] for row in sorted(data, key=lambda r: r["order"])))
    chart = risk_profile_chart(data, title="Рисковый профиль по годам", factor_names=names)
    changes = profile_changes(profiles[1], latest) if len(profiles) > 1 else []
    return {"profiles": profiles, "latest": latest, "previous": profiles[1]
            if len(profiles) > 1 else None, "chart": spec_json(chart), "changes": changes}


def _context(request: HttpRequest, school: School) -> dict[str, Any]:
    viewer = viewer_of(request)
    today = timezone.localdate()
    roadmap = current_roadmap(school)
    return {
        "school": school, "today": today, **profile_part(school),
        "campaigns": school_campaigns(school, today), "roadmap": roadmap,
        "progress": progress_by_school([school.pk], today).get(school.pk),
        "notices": notices(school_ids=[school.pk], today=today),
        "may_edit_profile": viewer.may(Action.EDIT_RISK_PROFILE, school),
        "may_edit": viewer.may(Action.EDIT_PROGRAMME, school),
        "next_year": today.year,
    }


@login_required
@require_GET
def school_page(request: HttpRequest, pk: int) -> HttpResponse:
    school = viewer_of(request).school(pk)
    context = _context(request, school)
    context["reviews"] = [i for i in school_items(school.pk)]
    return render(request, "programmes/school.html", context)


@login_required
@require_GET
def school_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's «Программа развития» part (fetched by htmx from the card)."""
    school = viewer_of(request).school(pk)
    return render(request, "programmes/_school_panel.html", _context(request, school))


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A school's administrator goes to their school's page; others see the section's hub."""
    viewer = viewer_of(request)
    own = sorted(viewer.administered_school_ids())
    if own and not viewer.may(Action.SEE_PROGRAMMES):
        return redirect("programmes:school", pk=own[0])
    return render(request, "programmes/home.html", {
        "sees_tables": viewer.may(Action.SEE_PROGRAMMES),
        "manages": viewer.may(Action.MANAGE_PROGRAMMES),
        "own_schools": School.objects.filter(pk__in=own).order_by("number", "short_name"),
        "sheets": list(my_assignments(viewer)[:50]) if viewer.active else []})
