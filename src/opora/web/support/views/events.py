"""Pages of support events: the list with filters, one event, the form, attendance, files, tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.glossary import EVENT_KINDS, EVENT_STATUSES, RISK_FACTORS, flag_label, support_name
from opora.web.accounts.models import COORDINATOR, CURATOR, METHODIST
from opora.web.accounts.scope import Action, Viewer
from opora.web.core.fragments import Fragment
from opora.web.staff.subjects import subject_name
from opora.web.support.forms import EventForm, TaskForm
from opora.web.support.selectors import (
    EventFilter,
    event_for_edit,
    event_get,
    events_visible,
    visible_participants,
    with_schools,
)
from opora.web.support.services.attachments import attachment_add
from opora.web.support.services.events import (
    attendance_confirm,
    event_create,
    event_update,
    task_add,
    task_done,
)
from opora.web.support.versions import cached_part

PER_PAGE = 50
SEE = "Мероприятия видят пользователи с ролью: координатор, методист, куратор, руководитель школы."
RECORD = "Записывать мероприятия могут куратор (для своих школ), методист и координатор."


def _viewer(request: HttpRequest) -> Viewer:
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_SUPPORT, None, SEE)
    return viewer


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The list with its filters; the part below the title is rendered once per user, filters,
    page and support version (:mod:`opora.web.support.versions`)."""
    viewer = _viewer(request)
    filters = EventFilter.of(request.GET)
    number = request.GET.get("page", "1")[:8]
    may_record = viewer.may(Action.RECORD_EVENT)

    def build() -> Fragment:
        events = (with_schools(filters.apply(events_visible(viewer), viewer))
                  .select_related("organiser", "organiser_school").order_by("-starts_at", "-pk"))
        page = Paginator(events, PER_PAGE).get_page(number)
        return Fragment(render_to_string("support/_events_body.html", {
            "page": page, "filters": filters, "kinds": EVENT_KINDS, "statuses": EVENT_STATUSES,
            "schools": viewer.schools().order_by("number", "short_name").only(
                "pk", "short_name", "number"),
            "may_record": may_record, "params": filters.params()}))

    part = cached_part(f"support-events:u{request.user.pk}:{filters.params()}:p{number}", build)
    return render(request, "support/events.html", {"body": part.html, "may_record": may_record})


def _organiser_default(viewer: Viewer) -> str:
    held = viewer.held()
    for role in (CURATOR, METHODIST, COORDINATOR):
        if role in held:
            return role
    return "coordinator"


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    viewer.require(Action.RECORD_EVENT, None, RECORD)
    initial: dict[str, Any] = {"organiser_kind": _organiser_default(viewer), "status": "planned",
                               "date": request.GET.get("date") or timezone.localdate()}
    if request.GET.get("school", "").isdigit():
        initial["schools"] = [int(request.GET["school"])]
    form = EventForm(request.POST or None, request.FILES or None, viewer=viewer, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert form.data_out is not None
        with transaction.atomic():  # the event and its files, or nothing
            event = event_create(by=request.user, data=form.data_out)
            for upload in form.cleaned_data["attachments"]:
                attachment_add(by=request.user, event=event, upload=upload)
        messages.success(request, "Мероприятие записано.")
        return redirect("support:event", pk=event.pk)
    return render(request, "support/event_form.html", {"form": form, "event": None},
                  status=400 if form.is_bound else 200)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = event_for_edit(viewer, pk)
    viewer.require(Action.EDIT_EVENT, event, "Изменить мероприятие может тот, кто его записал, "
                                             "методист или координатор муниципалитета.")
    event = event_get(viewer, pk)
    form = EventForm(request.POST or None, request.FILES or None, viewer=viewer, event=event,
                     initial=EventForm.initial_of(event))
    if request.method == "POST" and form.is_valid():
        assert form.data_out is not None
        with transaction.atomic():
            event_update(by=request.user, event=event, data=form.data_out)
            for upload in form.cleaned_data["attachments"]:
                attachment_add(by=request.user, event=event, upload=upload)
        messages.success(request, "Изменения сохранены.")
        return redirect("support:event", pk=event.pk)
    return render(request, "support/event_form.html", {"form": form, "event": event},
                  status=400 if form.is_bound else 200)


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = event_get(viewer, pk)
    participants = visible_participants(viewer, event)
    schools = [link.school for link in event.event_schools.all()]
    confirmable = {s.pk for s in schools if viewer.may(Action.CONFIRM_ATTENDANCE, s)}
    by_school: list[tuple[Any, list[Any], bool]] = []
    for school in schools:
        rows = [p for p in participants if p.school_id == school.pk]
        if rows or school.pk in confirmable:
            by_school.append((school, rows, school.pk in confirmable))
    status = next(s for s in EVENT_STATUSES if s.code == event.status)
    return render(request, "support/event.html", {
        "event": event, "status": status, "schools": schools, "by_school": by_school,
        "may_edit": viewer.may(Action.EDIT_EVENT, event), "held": status.held,
        "subjects": [subject_name(s) for s in event.subjects],
        "risks": [support_name(RISK_FACTORS, r) for r in event.risk_factors],
        "flags": [flag_label(f) for f in event.flags], "task_form": TaskForm(),
        "today": timezone.localdate()})


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = event_get(viewer, pk)
    school = next((link.school for link in event.event_schools.all()
                   if str(link.school_id) == request.POST.get("school")), None)
    if school is None:
        raise Http404("Школа не участвует в мероприятии")
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    try:
        marked = attendance_confirm(by=request.user, event=event, school=school, present=present)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Присутствие подтверждено ({school.short_name}): отмечено "
                                  f"{len(present)} из {marked}.")
    return redirect("support:event", pk=event.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = event_get(viewer, pk)
    viewer.require(Action.EDIT_EVENT, event, "Прикладывать файлы может тот, кто записал "
                                             "мероприятие, методист или координатор.")
    uploads = request.FILES.getlist("files")
    if not uploads:
        messages.error(request, "Выберите файл.")
        return redirect("support:event", pk=pk)
    try:
        with transaction.atomic():
            for upload in uploads:
                attachment_add(by=request.user, event=event, upload=upload)
    except ValidationError as exc:
        messages.error(request, "Файлы не приложены: " + " ".join(exc.messages))
    else:
        messages.success(request, "Файлы приложены.")
    return redirect("support:event", pk=pk)


_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml."
                          "document",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file of an event the viewer sees, always as a download (never shown inline)."""
    event = event_get(_viewer(request), pk)
    found = next((a for a in event.attachments.all() if a.pk == file_pk), None)
    if found is None:
        raise Http404("Файл не найден")
    return FileResponse(found.file.open("rb"), as_attachment=True,
                        filename=found.original_name,
                        content_type=_CONTENT_TYPES.get(found.file_type,
                                                        "application/octet-stream"))


@login_required
@require_POST
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = event_get(viewer, pk)
    viewer.require(Action.EDIT_EVENT, event, "Задачи добавляет тот, кто записал мероприятие, "
                                             "методист или координатор.")
    form = TaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Задача не добавлена: " + "; ".join(
            f"{form.fields[k].label}: {' '.join(str(e) for e in v)}"
            for k, v in form.errors.items()))
        return redirect("support:event", pk=pk)
    try:
        task_add(by=request.user, event=event, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "Задача не добавлена: " + " ".join(exc.messages))
    else:
        messages.success(request, "Задача добавлена.")
    return redirect("support:event", pk=pk)


@login_required
@require_POST
def task_close(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    viewer = _viewer(request)
    event = event_get(viewer, pk)
    viewer.require(Action.EDIT_EVENT, event)
    task = next((t for t in event.tasks.all() if t.pk == task_pk), None)
    if task is None:
        raise Http404("Задача не найдена")
    task.event = event
    task_done(by=request.user, task=task)
    messages.success(request, "Задача отмечена выполненной.")
    return redirect("support:event", pk=pk)
