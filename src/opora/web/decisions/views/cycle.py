"""The annual cycle (stages with due dates), the municipal system as evidence (the nine parts
and the self-assessment, with its XLSX), notifications: the list, the bell, overdue items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions import cycle as cycle_services
from opora.web.decisions import services
from opora.web.decisions.exports import system_xlsx, xlsx_response
from opora.web.decisions.forms import StageForm
from opora.web.decisions.models import CycleStage, Notification
from opora.web.decisions.notify import unread_count
from opora.web.decisions.selectors import overdue_for, responsible_choices
from opora.web.decisions.system import system_parts
from opora.web.decisions.terms import SYSTEM_PARTS
from opora.web.decisions.views.common import may_manage, town, year_of


@login_required
@require_GET
def cycle_page(request: HttpRequest) -> HttpResponse:
    viewer, municipality, towns = town(request)
    year = year_of(request)
    stages = cycle_services.stages_ensure(municipality, year)
    manage = may_manage(viewer, municipality)
    users = responsible_choices(municipality) if manage else []
    rows = [(s, StageForm(initial={"starts_on": s.starts_on, "due_on": s.due_on,
                                   "done": s.done_on is not None,
                                   "responsible_user": s.responsible_user_id},
                          users=users, prefix=f"s{s.pk}") if manage else None)
            for s in stages]
    return render(request, "decisions/cycle.html", {
        "rows": rows, "municipality": municipality, "towns": towns, "year": year,
        "years": range(year - 1, year + 2), "may_manage": manage,
        "today": timezone.localdate(), "here": "cycle"})


@login_required
@require_POST
def stage_save(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    stage = CycleStage.objects.select_related("municipality").filter(pk=pk).first()
    if stage is None or not viewer.may(Action.SEE_DECISIONS, stage.municipality):
        raise Http404("Этап не найден или недоступен")
    viewer.require(Action.MANAGE_DECISIONS, stage.municipality, services.MANAGE)
    form = StageForm(request.POST, users=responsible_choices(stage.municipality),
                     prefix=f"s{stage.pk}")
    if form.is_valid():
        try:
            cycle_services.stage_update(by=request.user, stage=stage, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Этап сохранён.")
    else:
        messages.error(request, "Проверьте даты этапа.")
    return redirect(f"/decisions/cycle/?municipality={stage.municipality_id}&year={stage.year}")


@login_required
@require_GET
def system_page(request: HttpRequest) -> HttpResponse:
    viewer, municipality, towns = town(request)
    year = year_of(request)
    return render(request, "decisions/system.html", {
        "parts": system_parts(municipality, year), "municipality": municipality, "towns": towns,
        "year": year, "years": range(year - 2, year + 2),
        "may_manage": may_manage(viewer, municipality), "here": "system"})


@login_required
@require_POST
def system_save(request: HttpRequest) -> HttpResponse:
    viewer, municipality, _ = town(request)
    year = year_of(request)
    viewer.require(Action.MANAGE_DECISIONS, municipality, services.MANAGE)
    for part in SYSTEM_PARTS:
        marks = {m: request.POST.get(f"{part.code}-{m}") == "on"
                 for m in ("exists", "used", "analysed")}
        cycle_services.self_assessment_save(by=request.user, municipality=municipality, year=year,
                                            part=part.code, note=request.POST.get(
                                                f"{part.code}-note", ""), **marks)
    messages.success(request, "Самооценка сохранена.")
    return redirect(f"/decisions/system/?municipality={municipality.pk}&year={year}")


@login_required
@require_GET
def system_export(request: HttpRequest) -> HttpResponse:
    _viewer, municipality, _ = town(request)
    year = year_of(request)
    return xlsx_response(system_xlsx(municipality, year, system_parts(municipality, year)),
                         f"municipalnaya-sistema-{year}.xlsx")


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    found = Notification.objects.filter(user_id=int(request.user.pk or 0))[:200]
    return render(request, "decisions/notifications.html", {
        "notifications": found, "unread": unread_count(request.user), "here": "notifications"})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user_id=int(request.user.pk or 0), read_at__isnull=True) \
        .update(read_at=timezone.now())  # not audited: a user's own reading marks
    return redirect("decisions:notifications")


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell of the header with the unread count (fetched after the page, so pages keep their
    query budgets)."""
    return render(request, "decisions/_bell.html", {"unread": unread_count(request.user)})


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """Overdue items of the viewer's scope, for the home page (fetched after the page)."""
    return render(request, "decisions/_overdue.html",
                  {"items": overdue_for(Viewer.of(request.user))})
