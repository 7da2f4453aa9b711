"""Roadmap pages: the roadmap with its completeness check, changes since approval, versions,
review rounds and comments; creating it; editing its items; sending it for review; the XLSX
export and import."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from opora.formats.grouping import group_problems
from opora.formats.templates.files import TEMPLATES_DIR
from opora.web.accounts.scope import Action, Viewer
from opora.web.imports.problems_xlsx import problems_to_xlsx
from opora.web.programmes.forms import (
    CommentForm,
    FileForm,
    IndicatorForm,
    MeasureForm,
    ProblemForm,
    RoadmapForm,
    TitleForm,
)
from opora.web.programmes.models import (
    Measure,
    ReviewItem,
    Roadmap,
    RoadmapGoal,
    RoadmapImport,
    RoadmapIndicator,
    RoadmapProblem,
    RoadmapTask,
)
from opora.web.programmes.models.roadmaps import SUBMITTED
from opora.web.programmes.roadmap_diff import plan_changes, snapshot
from opora.web.programmes.roadmap_import import export_roadmap, import_roadmap
from opora.web.programmes.selectors.roadmaps import roadmap_get
from opora.web.programmes.services import roadmaps as services
from opora.web.programmes.views.common import put_errors, viewer_of, xlsx_response

#: kind → (model, form, the parent's kind, the page's heading)
KINDS: dict[str, tuple[Any, Any, str, str]] = {
    "problem": (RoadmapProblem, ProblemForm, "", "Проблема"),
    "goal": (RoadmapGoal, TitleForm, "problem", "Цель"),
    "task": (RoadmapTask, TitleForm, "goal", "Задача"),
    "indicator": (RoadmapIndicator, IndicatorForm, "task", "Показатель"),
    "measure": (Measure, MeasureForm, "task", "Мероприятие"),
}
_ROADMAP_OF = {"problem": "roadmap", "goal": "problem__roadmap",
               "task": "goal__problem__roadmap", "indicator": "task__goal__problem__roadmap",
               "measure": "task__goal__problem__roadmap"}


def _editable(request: HttpRequest, pk: int) -> tuple[Viewer, Roadmap]:
    viewer = viewer_of(request)
    roadmap = roadmap_get(viewer, pk)
    viewer.require(Action.EDIT_PROGRAMME, roadmap.school, services.EDITORS)
    return viewer, roadmap


@login_required
def roadmap_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    school = viewer.school(pk)
    viewer.require(Action.EDIT_PROGRAMME, school, services.EDITORS)
    from django.utils import timezone

    year = timezone.localdate().year
    form = RoadmapForm(request.POST or None, initial={"first_year": year, "last_year": year + 2})
    if request.method == "POST" and form.is_valid():
        roadmap = services.roadmap_create(by=request.user, school=school, **form.cleaned_data)
        messages.success(request, "Дорожная карта создана: добавьте проблемы, цели и задачи — "
                                  "или загрузите её из файла.")
        return redirect("programmes:roadmap", pk=roadmap.pk)
    return render(request, "programmes/roadmap_form.html", {"form": form, "school": school},
                  status=400 if form.is_bound else 200)


@login_required
def roadmap_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _, roadmap = _editable(request, pk)
    form = RoadmapForm(request.POST or None, initial={
        "title": roadmap.title, "first_year": roadmap.first_year,
        "last_year": roadmap.last_year})
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_update(by=request.user, roadmap=roadmap, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return redirect("programmes:roadmap", pk=roadmap.pk)
    return render(request, "programmes/roadmap_form.html", {
        "form": form, "school": roadmap.school, "roadmap": roadmap},
        status=400 if form.is_bound else 200)


@login_required
@require_GET
def roadmap_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    roadmap = roadmap_get(viewer, pk)
    problems, checks = services.roadmap_checks(roadmap)
    approved = roadmap.versions.order_by("-number").first()
    changes = plan_changes(approved.snapshot, snapshot(roadmap, problems)) if approved else []
    school_side = viewer.may_see_school(roadmap.school)
    return render(request, "programmes/roadmap.html", {
        "roadmap": roadmap, "school": roadmap.school, "problems": problems, "checks": checks,
        "approved": approved, "changes": changes,
        "versions": roadmap.versions.select_related("approved_by"),
        "rounds": ReviewItem.objects.filter(roadmap=roadmap).select_related("campaign")
        .order_by("round", "pk") if school_side else [],
        "comments": roadmap.comments.select_related("author", "measure") if school_side else [],
        "may_edit": viewer.may(Action.EDIT_PROGRAMME, roadmap.school),
        "may_comment": school_side and (viewer.may(Action.COMMENT_ROADMAP, roadmap.school)
                                        or viewer.may(Action.EDIT_PROGRAMME, roadmap.school)),
        "locked": roadmap.status == SUBMITTED, "comment_form": CommentForm(),
        "import_form": FileForm(), "today": _today()})


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _item(kind: str, roadmap: Roadmap, item_pk: int) -> Any:
    model = KINDS[kind][0]
    found = model.objects.filter(pk=item_pk, **{_ROADMAP_OF[kind]: roadmap}).first()
    if found is None:
        raise Http404("Нет такой записи")
    return found


def _form(kind: str, data: Any, roadmap: Roadmap, initial: dict[str, Any]) -> forms.Form:
    form_class = KINDS[kind][1]
    if form_class is MeasureForm:
        return MeasureForm(data, school=roadmap.school, initial=initial)
    return form_class(data, initial=initial)


def _initial(kind: str, item: Any) -> dict[str, Any]:
    if item is None:
        return {}
    if kind == "problem":
        return {"title": item.title, "risk_factors": item.risk_factors, "flags": item.flags}
    if kind == "indicator":
        return IndicatorForm.initial_of(item)
    if kind == "measure":
        return {"title": item.title, "deadline": item.deadline,
                "responsible": item.responsible_id}
    return {"title": item.title}


def _save(kind: str, by: Any, roadmap: Roadmap, parent: Any, item: Any,
          data: dict[str, Any]) -> Any:
    if kind == "problem":
        return services.problem_save(by=by, roadmap=roadmap, problem=item, **data)
    if kind == "goal":
        return services.goal_save(by=by, problem=parent, goal=item, **data)
    if kind == "task":
        return services.task_save(by=by, goal=parent, task=item, **data)
    if kind == "indicator":
        return services.indicator_save(by=by, task=parent, indicator=item, **data)
    return services.measure_save(by=by, task=parent, measure=item, **data)


@login_required
def item_form(request: HttpRequest, pk: int, kind: str, item_pk: int | None = None
              ) -> HttpResponse:
    """Add (``?parent=``) or edit one item of the roadmap."""
    if kind not in KINDS:
        raise Http404("Нет такой записи")
    _, roadmap = _editable(request, pk)
    item = _item(kind, roadmap, item_pk) if item_pk else None
    parent_kind = KINDS[kind][2]
    parent = None
    if parent_kind:
        parent_pk = request.GET.get("parent") or request.POST.get("parent")
        parent = getattr(item, parent_kind) if item is not None else _item(
            parent_kind, roadmap, int(parent_pk)) if parent_pk and parent_pk.isdigit() else None
        if parent is None:
            raise Http404("Не указано, к чему добавить")
    form = _form(kind, request.POST or None, roadmap, _initial(kind, item))
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(kind, request.user, roadmap, parent, item, dict(form.cleaned_data))
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return redirect(reverse("programmes:roadmap", args=[roadmap.pk])
                            + f"#{kind}-{saved.pk}")
    return render(request, "programmes/item_form.html", {
        "roadmap": roadmap, "school": roadmap.school, "form": form, "kind": kind,
        "heading": KINDS[kind][3], "item": item, "parent": parent},
        status=400 if form.is_bound else 200)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("Нет такой записи")
    _, roadmap = _editable(request, pk)
    services.item_delete(by=request.user, item=_item(kind, roadmap, item_pk), roadmap=roadmap)
    messages.success(request, f"{KINDS[kind][3]} удалена." if kind in ("problem", "goal",
                                                                       "task")
                     else f"{KINDS[kind][3]} удалено." if kind == "measure"
                     else f"{KINDS[kind][3]} удалён.")
    return redirect("programmes:roadmap", pk=roadmap.pk)


@login_required
@require_POST
def roadmap_submit(request: HttpRequest, pk: int) -> HttpResponse:
    _, roadmap = _editable(request, pk)
    try:
        services.roadmap_submit(by=request.user, roadmap=roadmap)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Дорожная карта отправлена на экспертизу.")
    return redirect("programmes:roadmap", pk=roadmap.pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    roadmap = roadmap_get(viewer, pk)
    if not viewer.may_see_school(roadmap.school):
        raise Http404("Дорожная карта не найдена или недоступна")
    form = CommentForm(request.POST)
    measure = None
    if request.POST.get("measure", "").isdigit():
        measure = _item("measure", roadmap, int(request.POST["measure"]))
    if form.is_valid():
        services.comment_add(by=request.user, roadmap=roadmap, text=form.cleaned_data["text"],
                             measure=measure)
        messages.success(request, "Комментарий добавлен.")
    else:
        messages.error(request, "Напишите комментарий.")
    if measure is not None:
        return redirect("programmes:measure", pk=measure.pk)
    return redirect(reverse("programmes:roadmap", args=[roadmap.pk]) + "#comments")


@login_required
@require_GET
def roadmap_export(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = roadmap_get(viewer_of(request), pk)
    return xlsx_response(export_roadmap(roadmap), f"дорожная-карта-{roadmap.pk}.xlsx")


@login_required
@require_POST
def roadmap_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    _, roadmap = _editable(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите файл дорожной карты (XLSX).")
        return redirect("programmes:roadmap", pk=roadmap.pk)
    upload = form.cleaned_data["file"]
    if upload.size > 10 * 1024 * 1024 or PurePath(upload.name).suffix.lower() != ".xlsx":
        messages.error(request, "Нужна книга Excel (.xlsx) по шаблону дорожной карты, до 10 МБ.")
        return redirect("programmes:roadmap", pk=roadmap.pk)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roadmap.xlsx"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        record = import_roadmap(by=request.user, roadmap=roadmap, path=path,
                                name=PurePath(upload.name).name)
    return redirect("programmes:roadmap-import", pk=record.pk)


def _import_record(request: HttpRequest, pk: int) -> RoadmapImport:
    viewer = viewer_of(request)
    record = RoadmapImport.objects.select_related("roadmap__school__municipality",
                                                  "imported_by").filter(pk=pk).first()
    if record is None or not viewer.may_see_school(record.roadmap.school):
        raise Http404("Загрузка не найдена")
    return record


@login_required
@require_GET
def roadmap_import_result(request: HttpRequest, pk: int) -> HttpResponse:
    record = _import_record(request, pk)
    page = Paginator(record.problems, 100).get_page(request.GET.get("page"))
    return render(request, "programmes/roadmap_import.html", {
        "record": record, "roadmap": record.roadmap, "school": record.roadmap.school,
        "groups": group_problems(record.problems), "page": page})


@login_required
@require_GET
def roadmap_import_problems(request: HttpRequest, pk: int) -> HttpResponse:
    record = _import_record(request, pk)
    return xlsx_response(problems_to_xlsx(record.problems), f"problems-{record.pk}.xlsx")


@login_required
@require_GET
def roadmap_template(request: HttpRequest) -> FileResponse:
    return FileResponse((TEMPLATES_DIR / "roadmap.xlsx").open("rb"), as_attachment=True,
                        filename="дорожная-карта.xlsx")


@login_required
@require_GET
def version_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    viewer = viewer_of(request)
    roadmap = roadmap_get(viewer, pk)
    version = roadmap.versions.filter(number=number).first()
    if version is None:
        raise Http404("Нет такой версии")
    earlier = roadmap.versions.filter(number__lt=number).order_by("-number").first()
    return render(request, "programmes/roadmap_version.html", {
        "roadmap": roadmap, "school": roadmap.school, "version": version, "earlier": earlier,
        "changes": plan_changes(earlier.snapshot, version.snapshot) if earlier else []})
