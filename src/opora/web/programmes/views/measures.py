"""A measure of a roadmap: how it goes (status, evidence, comments), and the municipality's
monitoring of execution with «кто отстаёт»."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opora.web.accounts.scope import Action
from opora.web.programmes.forms import CommentForm, ProgressForm
from opora.web.programmes.models import Measure, ProgramDocument
from opora.web.programmes.monitoring import municipality_monitoring
from opora.web.programmes.selectors.roadmaps import roadmaps_visible
from opora.web.programmes.services.roadmaps import measure_progress
from opora.web.programmes.views.common import cached_body, put_errors, town_of, viewer_of
from opora.web.support.models import SupportEvent


@login_required
def measure_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    measure = (Measure.objects.select_related("task__goal__problem__roadmap__school__municipality",
                                              "responsible")
               .filter(pk=pk, task__goal__problem__roadmap__in=roadmaps_visible(viewer)).first()
               ) if viewer.active else None
    if measure is None:
        raise Http404("Мероприятие не найдено или недоступно")
    roadmap = measure.task.goal.problem.roadmap
    school = roadmap.school
    may_edit = viewer.may(Action.EDIT_PROGRAMME, school)
    events = SupportEvent.objects.filter(event_schools__school=school).order_by("-starts_at")[:100]
    documents = ProgramDocument.objects.filter(school=school, first_uploaded_at__isnull=False) \
        .select_related("campaign")
    form = ProgressForm(request.POST or None, events=SupportEvent.objects.filter(
        pk__in=[e.pk for e in events]), documents=documents,
        initial={"status": measure.status, "comment": measure.comment})
    if request.method == "POST":
        viewer.require(Action.EDIT_PROGRAMME, school, "Выполнение отмечают руководитель школы и "
                                                      "координатор.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                measure_progress(by=request.user, measure=measure, status=data["status"],
                                 comment=data["comment"], event=data["event"],
                                 document=data["document"], note=data["note"],
                                 today=timezone.localdate())
            except ValidationError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "Выполнение мероприятия сохранено.")
                return redirect("programmes:measure", pk=measure.pk)
    sees_school = viewer.may_see_school(school)
    return render(request, "programmes/measure.html", {
        "measure": measure, "roadmap": roadmap, "school": school, "form": form,
        "may_edit": may_edit, "today": timezone.localdate(),
        "shown": measure.shown_status(timezone.localdate()),
        "evidence": measure.evidence.select_related("event", "document", "added_by"),
        "comments": measure.comments.select_related("author") if sees_school else [],
        "may_comment": sees_school and (viewer.may(Action.COMMENT_ROADMAP, school) or may_edit),
        "comment_form": CommentForm()}, status=400 if form.is_bound else 200)


@login_required
@require_GET
def monitoring_page(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    town, choices = town_of(request, viewer)

    def context() -> dict[str, Any]:
        return {"data": municipality_monitoring(viewer=viewer, municipality=town,
                                                today=timezone.localdate()),
                "town": town, "towns": choices}

    return render(request, "programmes/monitoring.html", {
        "town": town, "body": cached_body(request, "programmes/_monitoring_body.html", context)})
