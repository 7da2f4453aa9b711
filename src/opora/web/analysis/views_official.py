"""The official list on a run's page: what the run would make, approving it, the approvals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.models import CATEGORY_CHOICES, DONE, AnalysisRun
from opora.web.analysis.official import (
    approvals_of,
    list_changes,
    list_preview,
    run_approve,
    run_years,
)
from opora.web.analysis.selectors import run_get
from opora.web.core.ordering import natural_key
from opora.web.schools.models import School


class ApproveForm(forms.Form):
    year = forms.IntegerField(label="Год списка")
    basis = forms.CharField(label="Основание (приказ или решение: номер и дата)", max_length=300)


def official_context(request: HttpRequest, run: AnalysisRun) -> dict[str, Any]:
    """What the run page's «Официальный список» section needs (a few queries)."""
    viewer = Viewer.of(request.user)
    may_approve = run.status == DONE and viewer.may(Action.APPROVE_RUN, run)
    years = run_years(run)
    previews = []
    if may_approve:
        names = dict(School.objects.filter(
            municipality__region_id=run.region_id).values_list("pk", "short_name"))
        labels = dict(CATEGORY_CHOICES)
        for year in sorted(years, reverse=True)[:1]:  # the latest year: what a list is for
            preview = list_preview(run, year)
            previews.append({
                "year": year, "current": preview.current,
                "categories": [(labels[code], len(preview.by_category.get(code, [])))
                               for code, _ in CATEGORY_CHOICES],
                "entering": sorted(((i, names.get(i, str(i))) for i in preview.entering),
                                   key=lambda r: natural_key(r[1])),
                "leaving": sorted(((i, names.get(i, str(i))) for i in preview.leaving),
                                  key=lambda r: natural_key(r[1]))})
    approvals = approvals_of(run)
    changes = []
    for approved in approvals:
        if not approved.is_current:
            continue
        found = list_changes(approved)
        ids = {*found.entered, *found.stayed, *found.left, *found.exited, *found.relapses}
        names = dict(School.objects.filter(pk__in=ids).values_list("pk", "short_name"))

        def named(pks: list[int], names: dict[int, str] = names) -> list[tuple[int, str]]:
            return sorted(((pk, names.get(pk, str(pk))) for pk in pks),
                          key=lambda r: natural_key(r[1]))

        changes.append({"list": approved, "entered": named(found.entered),
                        "stayed": len(found.stayed), "left": named(found.left),
                        "exited": named(found.exited), "relapses": named(found.relapses)})
    return {"approvals": approvals, "list_changes": changes, "may_approve": may_approve,
            "list_years": years,
            "previews": previews, "approve_form": ApproveForm(initial={
                "year": max(years) if years else None})}


@login_required
@require_POST
def run_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """«Утвердить как официальный список»: the coordinator (or regional staff) decides."""
    run = run_get(user=request.user, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Список не утверждён: укажите год и основание.")
        return redirect("analysis:run", pk=run.pk)
    try:
        approved = run_approve(user=request.user, run=run, year=form.cleaned_data["year"],
                               basis=form.cleaned_data["basis"])
    except ValidationError as exc:
        messages.error(request, "Список не утверждён: " + " ".join(exc.messages))
        return redirect("analysis:run", pk=run.pk)
    count = approved.inclusions.count()
    messages.success(request, f"Расчёт № {run.pk} утверждён как официальный список "
                              f"{approved.year} года ({count} школ). Теперь его видят школы, "
                              "кураторы и методисты.")
    return redirect("analysis:run", pk=run.pk)
