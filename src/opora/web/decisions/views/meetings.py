"""Meetings of the working group (items «слушали / выступили / решили», decisions) and the
municipal plan of measures with its XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions import services
from opora.web.decisions.exports import plan_xlsx, xlsx_response
from opora.web.decisions.forms import (
    DecisionForm,
    DecisionStatusForm,
    ItemForm,
    MeasureForm,
    MeetingForm,
)
from opora.web.decisions.models import PlanMeasure
from opora.web.decisions.selectors import (
    decisions_visible,
    meeting_get,
    meetings_visible,
    responsible_choices,
)
from opora.web.decisions.views.common import may_manage, town, year_of


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    viewer, municipality, towns = town(request)
    return render(request, "decisions/meetings.html", {
        "meetings": meetings_visible(viewer).filter(municipality=municipality).annotate(
            item_count=Count("items", distinct=True), decision_count=Count("items__decisions")),
        "municipality": municipality, "towns": towns,
        "may_manage": may_manage(viewer, municipality), "here": "meetings"})


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    viewer, municipality, _ = town(request)
    viewer.require(Action.MANAGE_DECISIONS, municipality, services.MANAGE)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = services.meeting_create(by=request.user, municipality=municipality,
                                        **form.cleaned_data)
        messages.success(request, "Заседание записано. Добавьте вопросы и решения.")
        return redirect("decisions:meeting", found.pk)
    return render(request, "decisions/meeting_new.html", {
        "form": form, "municipality": municipality, "here": "meetings"})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    meeting = meeting_get(viewer, pk)
    manage = may_manage(viewer, meeting.municipality)
    users = responsible_choices(meeting.municipality) if manage else []
    return render(request, "decisions/meeting.html", {
        "meeting": meeting, "items": meeting.items.prefetch_related("decisions"),
        "may_manage": manage, "item_form": ItemForm(), "decision_form": DecisionForm(users=users),
        "status_form": DecisionStatusForm(), "here": "meetings"})


@login_required
@require_POST
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    meeting = meeting_get(viewer, pk)
    viewer.require(Action.MANAGE_DECISIONS, meeting.municipality, services.MANAGE)
    form = ItemForm(request.POST)
    if form.is_valid():
        services.item_add(by=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, "Вопрос добавлен.")
    else:
        messages.error(request, "Заполните «Слушали» и «Решили».")
    return redirect("decisions:meeting", pk)


@login_required
@require_POST
def decision_new(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    meeting = meeting_get(viewer, pk)
    viewer.require(Action.MANAGE_DECISIONS, meeting.municipality, services.MANAGE)
    item = meeting.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404("Вопрос не найден")
    form = DecisionForm(request.POST, users=responsible_choices(meeting.municipality))
    if form.is_valid():
        services.decision_add(by=request.user, item=item, **form.cleaned_data)
        messages.success(request, "Решение записано.")
    else:
        messages.error(request, "Укажите решение, ответственного и срок.")
    return redirect("decisions:meeting", pk)


@login_required
@require_POST
def decision_status(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    decision = decisions_visible(viewer).filter(pk=pk).first()
    if decision is None:
        raise Http404("Решение не найдено или недоступно")
    form = DecisionStatusForm(request.POST)
    if form.is_valid():
        services.decision_set_status(by=request.user, decision=decision, **form.cleaned_data)
        messages.success(request, "Состояние решения изменено.")
    return redirect("decisions:meeting", decision.item.meeting_id)


@login_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    viewer, municipality, towns = town(request)
    year = year_of(request)
    rows = PlanMeasure.objects.filter(municipality=municipality, year=year)
    manage = may_manage(viewer, municipality)
    return render(request, "decisions/plan.html", {
        "rows": rows, "municipality": municipality, "towns": towns, "year": year,
        "years": range(year - 2, year + 2), "may_manage": manage,
        "form": MeasureForm() if manage else None, "here": "plan"})


@login_required
def measure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    viewer, municipality, _ = town(request)
    measure = None
    if pk is not None:
        measure = PlanMeasure.objects.filter(pk=pk, municipality=municipality).first()
        if measure is None:
            raise Http404("Мероприятие плана не найдено")
    viewer.require(Action.MANAGE_DECISIONS, municipality, services.MANAGE)
    year = measure.year if measure else year_of(request)
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(by=request.user, municipality=municipality, year=year,
                                  fields=form.cleaned_data, measure=measure)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "План сохранён.")
            return redirect(f"/decisions/plan/?municipality={municipality.pk}&year={year}")
    return render(request, "decisions/measure_form.html", {
        "form": form, "measure": measure, "municipality": municipality, "year": year,
        "here": "plan"})


@login_required
@require_GET
def plan_export(request: HttpRequest) -> HttpResponse:
    _viewer, municipality, _ = town(request)
    year = year_of(request)
    rows = list(PlanMeasure.objects.filter(municipality=municipality, year=year))
    return xlsx_response(plan_xlsx(municipality, year, rows),
                         f"plan-meropriyatiy-{year}.xlsx")
