"""Expert sheets (rubrics) pages: the list (the municipality's own and Опора's default), one
sheet read-only, the coordinator's «Создать лист» (also as a copy), edit and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import Rubric
from opora.web.programmes.rubric_forms import (
    PREFIX,
    CriterionFormSet,
    RubricForm,
    criterion_initial,
    put_rubric_errors,
    with_row_added,
)
from opora.web.programmes.selectors.rubrics import rubric_campaigns, rubric_get, rubrics_visible
from opora.web.programmes.services.rubrics import (
    MANAGERS,
    criteria_of,
    delete_refusal,
    edit_refusal,
    rubric_create,
    rubric_delete,
    rubric_update,
)
from opora.web.programmes.views.common import SEE, town_of, viewer_of


def _manages(viewer: Viewer, rubric: Rubric) -> bool:
    return rubric.municipality is not None and viewer.may(Action.MANAGE_PROGRAMMES,
                                                          rubric.municipality)


@login_required
@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.SEE_PROGRAMMES, None, SEE)
    rubrics = list(rubrics_visible(viewer))
    return render(request, "programmes/rubrics.html", {
        "rubrics": [(r, _manages(viewer, r)) for r in rubrics],
        "may_create": viewer.may(Action.MANAGE_PROGRAMMES)})


@login_required
@require_GET
def rubric_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.SEE_PROGRAMMES, None, SEE)
    rubric = rubric_get(viewer, pk)
    manages = _manages(viewer, rubric)
    return render(request, "programmes/rubric.html", {
        "rubric": rubric, "criteria": list(rubric.criteria.all()), "manages": manages,
        "may_copy": viewer.may(Action.MANAGE_PROGRAMMES),
        "campaigns": rubric_campaigns(viewer, rubric),
        "edit_refusal": edit_refusal(rubric) if manages else None,
        "delete_refusal": delete_refusal(rubric) if manages else None})


def _form_page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "programmes/rubric_form.html", context, status=status)


def _bound(request: HttpRequest, initial: list[dict[str, Any]]) -> tuple[RubricForm, Any, bool]:
    """The form and formset, bound on POST; ``True``: the coordinator asked for one more row."""
    if request.method != "POST":
        return RubricForm(), CriterionFormSet(prefix=PREFIX, initial=initial), False
    adding = "add" in request.POST
    data = with_row_added(request.POST) if adding else request.POST
    return RubricForm(data), CriterionFormSet(data, prefix=PREFIX, initial=initial), adding


@login_required
def rubric_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.MANAGE_PROGRAMMES, None, MANAGERS)
    town, _ = town_of(request, viewer)
    viewer.require(Action.MANAGE_PROGRAMMES, town, MANAGERS)
    wanted = request.GET.get("from")
    source = rubric_get(viewer, int(wanted)) if wanted and wanted.isdigit() else None
    initial = criterion_initial(criteria_of(source), keep_pk=False) if source else []
    form, formset, adding = _bound(request, initial)
    if source is not None and request.method != "POST":
        form = RubricForm(initial={"title": f"{source.title} (копия)"})
    over_all: list[str] = []
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        try:
            rubric = rubric_create(by=request.user, municipality=town,
                                   title=form.cleaned_data["title"],
                                   criteria=[f.data_of() for f in formset.kept()])
        except ValidationError as exc:
            over_all = put_rubric_errors(form, formset, exc)
        else:
            messages.success(request, f"Экспертный лист «{rubric.title}» сохранён.")
            return redirect("programmes:rubric", pk=rubric.pk)
    return _form_page(request, {"form": form, "formset": formset, "town": town,
                                "source": source, "criteria_errors": over_all},
                      400 if request.method == "POST" and not adding else 200)


@login_required
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.SEE_PROGRAMMES, None, SEE)
    rubric = rubric_get(viewer, pk)
    viewer.require(Action.MANAGE_PROGRAMMES, rubric.municipality, MANAGERS)
    refusal = edit_refusal(rubric)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect("programmes:rubric", pk=rubric.pk)
    form, formset, adding = _bound(request, criterion_initial(criteria_of(rubric), keep_pk=True))
    if request.method != "POST":
        form = RubricForm(initial={"title": rubric.title})
    over_all: list[str] = []
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        try:
            rubric_update(by=request.user, rubric=rubric, title=form.cleaned_data["title"],
                          criteria=[f.data_of() for f in formset.kept()])
        except ValidationError as exc:
            over_all = put_rubric_errors(form, formset, exc)
        else:
            messages.success(request, "Экспертный лист сохранён.")
            return redirect("programmes:rubric", pk=rubric.pk)
    return _form_page(request, {"form": form, "formset": formset, "town": rubric.municipality,
                                "rubric": rubric, "criteria_errors": over_all},
                      400 if request.method == "POST" and not adding else 200)


@login_required
@require_POST
def rubric_remove(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.SEE_PROGRAMMES, None, SEE)
    rubric = rubric_get(viewer, pk)
    try:
        rubric_delete(by=request.user, rubric=rubric)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("programmes:rubric", pk=rubric.pk)
    messages.success(request, f"Экспертный лист «{rubric.title}» удалён.")
    return redirect("programmes:rubrics")
