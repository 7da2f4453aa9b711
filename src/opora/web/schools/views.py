"""Pages of the school registry: the list of visible schools and one school's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.web.schools.selectors import school_get, school_list, school_result_counts


@login_required
def schools(request: HttpRequest) -> HttpResponse:
    return render(request, "schools/list.html", {"schools": school_list(user=request.user)})


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    found = school_get(user=request.user, pk=pk)
    return render(request, "schools/detail.html", {
        "school": found,
        "passports": found.context_passports.order_by("-year"),
        "result_counts": school_result_counts(school=found),
    })
