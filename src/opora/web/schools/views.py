"""Pages of the school registry: the list of visible schools, the school card and its history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opora.web.accounts.permissions import powers_over
from opora.web.context.forms import EDITABLE_FIELDS, label_of, unit_of
from opora.web.context.models import ContextPassport
from opora.web.context.selectors import passport_years, school_year
from opora.web.schools.card import analysis_part, card_school, loaded_part, results_part
from opora.web.schools.history import school_history
from opora.web.schools.selectors import school_get, school_list


@login_required
@require_GET
def schools(request: HttpRequest) -> HttpResponse:
    return render(request, "schools/list.html", {"schools": school_list(user=request.user)})


def _passport_table(passports: list[ContextPassport]) -> list[dict[str, Any]]:
    """Indicators as rows (label, unit, a value per year): 13 indicators read down, years across."""
    return [{"label": label_of(n), "unit": unit_of(n), "values": [getattr(p, n) for p in passports]}
            for n in EDITABLE_FIELDS]


@login_required
@require_GET
def school(request: HttpRequest, pk: int) -> HttpResponse:
    """The school card: identity, passports by year, the analysis, results from the database.

    The analysis and the loaded results are rendered once and reused (schools/card.py); the
    passport is read on every request, so an edit shows at once.
    """
    found = card_school(user=request.user, pk=pk)
    passports = list(found.context_passports.order_by("-year"))
    analysis = analysis_part(school=found)
    return render(request, "schools/detail.html", {
        "school": found,
        "powers": powers_over(request.user, found),
        "passports": passports,
        "passport_rows": _passport_table(passports),
        "passport_labels": [school_year(p.year) for p in passports],
        "passport_years": [(y, school_year(y)) for y in passport_years()],
        "analysis_html": analysis.html,
        "has_charts": analysis.extra["has_charts"],
        "loaded_html": loaded_part(school=found).html,
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
    found = school_get(user=request.user, pk=pk)
    if not powers_over(request.user, found).see_history:
        raise PermissionDenied("История изменений доступна муниципальному координатору.")
    return render(request, "audit/history.html", {
        "school": found, "entries": school_history(school=found),
        "title": "История изменений школы и её социального паспорта"})
