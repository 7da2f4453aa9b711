"""The recommendations: the list (suggested, accepted, closed), one recommendation with its
accept, decline and close forms, the evidence file, the rules run and a hand-written one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions import services
from opora.web.decisions.cycle import school_year
from opora.web.decisions.forms import AcceptForm, CloseForm, DeclineForm, RecommendationForm
from opora.web.decisions.selectors import (
    recommendation_get,
    recommendations_visible,
    responsible_choices,
)
from opora.web.decisions.terms import ADDRESSEES, RECOMMENDATION_STATUSES
from opora.web.decisions.views.common import may_manage, town

SEE = "Рекомендации доступны пользователям с назначенной ролью."


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    viewer.require(Action.SEE_DECISIONS, None, SEE)
    found = recommendations_visible(viewer)
    municipality, towns = None, viewer.municipalities()
    if towns:
        viewer, municipality, towns = town(request)
        found = found.filter(municipality=municipality)
    status = request.GET.get("status", "")
    addressee = request.GET.get("addressee", "")
    if status:
        found = found.filter(status=status)
    if addressee:
        found = found.filter(addressee=addressee)
    return render(request, "decisions/recommendations.html", {
        "recommendations": found.order_by("status", "deadline", "school__number", "pk")[:500],
        "municipality": municipality, "towns": towns, "status": status, "addressee": addressee,
        "statuses": RECOMMENDATION_STATUSES, "addressees": ADDRESSEES,
        "may_manage": municipality is not None and may_manage(viewer, municipality),
        "here": "recommendations"})


@login_required
@require_POST
def recommendations_suggest(request: HttpRequest) -> HttpResponse:
    viewer, municipality, _ = town(request)
    viewer.require(Action.MANAGE_DECISIONS, municipality, services.MANAGE)
    done = services.recommendations_suggest(by=request.user, municipality=municipality)
    messages.success(request, f"Правила выполнены: новых предложений {done.created}, обновлено "
                              f"{done.updated}, снято {done.withdrawn}.")
    return redirect(f"/decisions/recommendations/?municipality={municipality.pk}&status=suggested")


@login_required
def recommendation_new(request: HttpRequest) -> HttpResponse:
    viewer, municipality, _ = town(request)
    viewer.require(Action.MANAGE_DECISIONS, municipality, services.MANAGE)
    form = RecommendationForm(request.POST or None, schools=municipality.schools.all())
    if request.method == "POST" and form.is_valid():
        found = services.recommendation_create(
            by=request.user, municipality=municipality, addressee=form.cleaned_data["addressee"],
            text=form.cleaned_data["text"], school=form.cleaned_data["school"],
            year=school_year(timezone.localdate()))
        return redirect("decisions:recommendation", found.pk)
    return render(request, "decisions/recommendation_new.html",
                  {"form": form, "municipality": municipality, "here": "recommendations"})


@login_required
@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    record = recommendation_get(viewer, pk)
    manage = may_manage(viewer, record.municipality)
    accept = AcceptForm(initial={"text": record.text, "deadline": record.deadline,
                                 "responsible": record.responsible,
                                 "responsible_user": record.responsible_user_id},
                        users=responsible_choices(record.municipality)) if manage else None
    return render(request, "decisions/recommendation.html", {
        "record": record, "may_manage": manage, "accept": accept, "decline": DeclineForm(),
        "may_close": viewer.may(Action.CLOSE_RECOMMENDATION, record), "close": CloseForm(),
        "history": record.history.select_related("history_user").order_by("-history_date")[:20],
        "here": "recommendations"})


@login_required
@require_POST
def recommendation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    record = recommendation_get(viewer, pk)
    viewer.require(Action.MANAGE_DECISIONS, record.municipality, services.MANAGE)
    form = AcceptForm(request.POST, users=responsible_choices(record.municipality))
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: "
                                    f"{' '.join(str(e) for e in errors)}")
        return redirect("decisions:recommendation", pk)
    try:
        services.recommendation_accept(by=request.user, record=record, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Рекомендация принята.")
    return redirect("decisions:recommendation", pk)


@login_required
@require_POST
def recommendation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    record = recommendation_get(viewer, pk)
    viewer.require(Action.MANAGE_DECISIONS, record.municipality, services.MANAGE)
    try:
        services.recommendation_decline(by=request.user, record=record,
                                        reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("decisions:recommendation", pk)


@login_required
@require_POST
def recommendation_close(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    record = recommendation_get(viewer, pk)
    viewer.require(Action.CLOSE_RECOMMENDATION, record,
                   "Отметить выполнение может координатор или администрация школы.")
    form = CloseForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите итог: выполнено или не выполнено.")
        return redirect("decisions:recommendation", pk)
    try:
        services.recommendation_close(by=request.user, record=record,
                                      done=form.cleaned_data["result"] == "done",
                                      outcome=form.cleaned_data["outcome"],
                                      upload=form.cleaned_data["file"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Отметка сохранена.")
    return redirect("decisions:recommendation", pk)


@login_required
@require_GET
def recommendation_file(request: HttpRequest, pk: int) -> FileResponse:
    record = recommendation_get(Viewer.of(request.user), pk)
    if not record.evidence_file:
        raise Http404("Файла нет")
    try:
        handle = record.evidence_file.open("rb")
    except OSError as exc:
        raise Http404("Файл не найден") from exc
    return FileResponse(handle, as_attachment=True, filename=record.evidence_name or "файл")



@login_required
@require_GET
def school_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's «Адресные рекомендации» part, fetched by htmx: the school's recommendations
    the viewer may see (a school: the accepted ones to it; the municipality: all of them)."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    found = recommendations_visible(viewer).filter(school=school) \
        .exclude(status="declined").order_by("status", "deadline", "pk")[:50]
    return render(request, "decisions/_school_panel.html", {"school": school,
                                                           "recommendations": found})
