"""Pages of the card app: the list of visible schools, the school card and its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opora.web.accounts.scope import Action, Viewer
from opora.web.card.history import school_history
from opora.web.card.parts import card_parts, card_school, results_part
from opora.web.card.selectors import school_list


@login_required
@require_GET
def schools(request: HttpRequest) -> HttpResponse:
    return render(request, "card/list.html", {"schools": school_list(user=request.user)})


@login_required
@require_GET
def school(request: HttpRequest, pk: int) -> HttpResponse:
    """The school card: identity, the analysis, passports by year, results from the database.

    Its parts are rendered once and reused (card/parts.py); the passport part is keyed by the
    passports' content, so an edit shows at once.
    """
    viewer = Viewer.of(request.user)
    found = card_school(user=request.user, pk=pk)
    powers = viewer.powers_over(found)
    parts = card_parts(school=found, powers=powers,
                       sees_drafts=viewer.may(Action.SEE_DRAFTS, found.municipality))
    return render(request, "card/detail.html", {
        "school": found,
        "powers": powers,
        "head_html": parts.head.html,
        "analysis_html": parts.analysis.html,
        "has_charts": parts.analysis.extra["has_charts"],
        "passport_html": parts.passport.html,
        "loaded_html": parts.loaded.html,
    })


@login_required
@require_GET
def school_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's table of results as loaded, fetched when the reader opens it (htmx)."""
    found = card_school(user=request.user, pk=pk)
    return HttpResponse(results_part(school=found).html)


@login_required
@require_GET
def school_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    """«История изменений» of the card: coordinators of the municipality and superusers."""
    viewer = Viewer.of(request.user)
    found = viewer.school(pk)
    viewer.require(Action.SEE_SCHOOL_HISTORY, found,
                   "История изменений доступна муниципальному координатору.")
    return render(request, "audit/history.html", {
        "school": found, "entries": school_history(school=found),
        "title": "История изменений школы и её социального паспорта"})
