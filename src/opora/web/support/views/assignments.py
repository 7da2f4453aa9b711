"""The assignments page (curators, network pairs, communities, mentors) and its actions; the
support panel of the school card; the official run's proposed pairs for the overview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.glossary import COMMUNITY_KINDS
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.models import RunPair
from opora.web.schools.models import Municipality
from opora.web.staff.models import Teacher
from opora.web.staff.subjects import TEACHING_SUBJECT_NAMES
from opora.web.support.models import Curatorship, Mentorship, NetworkPair
from opora.web.support.roster import (
    communities_of,
    curatorships_of,
    mentorships_of,
    pairs_of,
    proposals_of,
    school_support,
)
from opora.web.support.services.assignments import (
    curatorship_end,
    curatorship_start,
    mentorship_end,
    mentorship_start,
    pair_accept,
    pair_create,
    pair_end,
)

PAGE = "Назначения видят координатор, методист и региональный координатор."


def _town(request: HttpRequest) -> tuple[Viewer, Municipality, list[Municipality]]:
    viewer = Viewer.of(request.user)
    towns = viewer.municipalities()
    if not towns:
        raise PermissionDenied(PAGE)
    chosen = request.GET.get("municipality") or request.POST.get("municipality") or ""
    town = next((m for m in towns if str(m.pk) == chosen), None) if chosen else towns[0]
    if town is None:
        raise Http404("Муниципалитет не найден или недоступен")
    return viewer, town, towns


def _date(value: str, default: dt.date | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        if default is not None:
            return default
        raise ValidationError("Укажите дату.") from exc


@login_required
@require_GET
def assignments_page(request: HttpRequest) -> HttpResponse:
    viewer, town, towns = _town(request)
    teachers = list(Teacher.objects.filter(school__municipality=town, active_to__isnull=True)
                    .select_related("school").order_by("school__number", "name"))
    return render(request, "support/assignments.html", {
        "town": town, "towns": towns, "curatorships": curatorships_of(town),
        "pairs": pairs_of(town), "proposals": proposals_of(town),
        "communities": communities_of(town), "mentorships": mentorships_of(town),
        "schools": town.schools.order_by("number", "short_name"), "teachers": teachers,
        "community_kinds": COMMUNITY_KINDS, "subjects": TEACHING_SUBJECT_NAMES.items(),
        "may_assign": viewer.may(Action.MANAGE_ASSIGNMENTS, town),
        "may_communities": viewer.may(Action.MANAGE_COMMUNITIES, town),
        "may_mentors": viewer.may(Action.MANAGE_COMMUNITIES, town),  # the same: municipal
        "today": timezone.localdate()})


def _back(request: HttpRequest, town_id: int, anchor: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(f"/support/assignments/?municipality={town_id}#{anchor}")


def _done(request: HttpRequest, action: Any, success: str) -> bool:
    """Run ``action``; a refusal becomes a message at the top of the page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def curatorship_new(request: HttpRequest) -> HttpResponse:
    viewer, town, _ = _town(request)
    viewer.require(Action.MANAGE_ASSIGNMENTS, town, "Назначает кураторов координатор.")
    school = get_object_or_404(town.schools, pk=request.POST.get("school") or 0)
    username = request.POST.get("username", "").strip()
    curator = get_user_model().objects.filter(username=username, is_active=True).first()
    if curator is None:
        messages.error(request, f"Пользователь «{username}» не найден: создайте его на "
                                "странице «Пользователи и роли».")
        return _back(request, town.pk, "curators")
    _done(request, lambda: curatorship_start(
        by=request.user, curator=curator, school=school, basis=request.POST.get("basis", ""),
        started_on=_date(request.POST.get("started_on", ""), timezone.localdate())),
          f"{username} — куратор школы {school.short_name}.")
    return _back(request, town.pk, "curators")


@login_required
@require_POST
def curatorship_stop(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, town, _ = _town(request)
    found = get_object_or_404(Curatorship.objects.select_related("school__municipality"),
                              pk=pk, school__municipality=town)
    viewer.require(Action.MANAGE_ASSIGNMENTS, town, "Снимает кураторов координатор.")
    _done(request, lambda: curatorship_end(
        by=request.user, curatorship=found, reason=request.POST.get("reason", ""),
        ended_on=_date(request.POST.get("ended_on", ""), timezone.localdate())),
          "Кураторство закончено; оно остаётся в истории школы.")
    return _back(request, town.pk, "curators")


@login_required
@require_POST
def pair_new(request: HttpRequest) -> HttpResponse:
    viewer, town, _ = _town(request)
    viewer.require(Action.MANAGE_ASSIGNMENTS, town, "Сетевые пары утверждает координатор.")
    low = get_object_or_404(town.schools, pk=request.POST.get("low_school") or 0)
    leader = get_object_or_404(town.schools, pk=request.POST.get("leader_school") or 0)
    _done(request, lambda: pair_create(
        by=request.user, low_school=low, leader_school=leader,
        basis=request.POST.get("basis", ""),
        agreed_on=_date(request.POST.get("agreed_on", ""), timezone.localdate())),
          f"Сетевая пара {low.short_name} — {leader.short_name} записана.")
    return _back(request, town.pk, "pairs")


@login_required
@require_POST
def pair_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the official run's proposed pair becomes a working pair, agreed today."""
    viewer, town, _ = _town(request)
    proposal = get_object_or_404(RunPair.objects.select_related("low_school", "leader_school"),
                                 pk=pk, low_school__municipality=town)
    viewer.require(Action.MANAGE_ASSIGNMENTS, town, "Сетевые пары утверждает координатор.")
    _done(request, lambda: pair_accept(
        by=request.user, run_pair=proposal, basis=request.POST.get("basis", ""),
        agreed_on=_date(request.POST.get("agreed_on", ""), timezone.localdate())),
          f"Пара {proposal.low_school.short_name} — {proposal.leader_school.short_name} "
          "принята.")
    return _back(request, town.pk, "pairs")


@login_required
@require_POST
def pair_stop(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, town, _ = _town(request)
    found = get_object_or_404(NetworkPair.objects.select_related("low_school__municipality"),
                              pk=pk, low_school__municipality=town)
    viewer.require(Action.MANAGE_ASSIGNMENTS, town, "Сетевые пары ведёт координатор.")
    _done(request, lambda: pair_end(
        by=request.user, pair=found, reason=request.POST.get("reason", ""),
        ended_on=_date(request.POST.get("ended_on", ""), timezone.localdate())),
          "Работа пары закончена; пара остаётся в истории.")
    return _back(request, town.pk, "pairs")


@login_required
@require_POST
def mentorship_new(request: HttpRequest) -> HttpResponse:
    viewer, town, _ = _town(request)
    teachers = Teacher.objects.filter(school__municipality=town).select_related("school")
    mentee = get_object_or_404(teachers, pk=request.POST.get("mentee") or 0)
    mentor = get_object_or_404(teachers, pk=request.POST.get("mentor") or 0)
    viewer.require(Action.MANAGE_MENTORSHIPS, mentee.school)
    _done(request, lambda: mentorship_start(
        by=request.user, mentor=mentor, mentee=mentee, basis=request.POST.get("basis", ""),
        started_on=_date(request.POST.get("started_on", ""), timezone.localdate())),
          f"{mentor.name} — наставник педагога {mentee.name}.")
    return _back(request, town.pk, "mentors")


@login_required
@require_POST
def mentorship_stop(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, town, _ = _town(request)
    found = get_object_or_404(Mentorship.objects.select_related("mentee__school"), pk=pk,
                              mentee__school__municipality=town)
    viewer.require(Action.MANAGE_MENTORSHIPS, found.mentee.school)
    _done(request, lambda: mentorship_end(
        by=request.user, mentorship=found, reason=request.POST.get("reason", ""),
        ended_on=_date(request.POST.get("ended_on", ""), timezone.localdate())),
          "Наставничество закончено; оно остаётся в истории.")
    return _back(request, town.pk, "mentors")


@login_required
@require_GET
def school_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's «Сопровождение» part, fetched by htmx: who supports the school, its pairs
    (and the official run's proposals, with «Принять» for the coordinator), recent events."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    may_assign = viewer.may(Action.MANAGE_ASSIGNMENTS, school.municipality)
    return render(request, "support/_school_panel.html", {
        "school": school, **school_support(school), "may_assign": may_assign,
        "proposals": proposals_of(school.municipality, school) if may_assign else None,
        "may_record": viewer.may(Action.RECORD_EVENT, school)})


@login_required
@require_GET
def proposed_pairs(request: HttpRequest) -> HttpResponse:
    """The official run's proposed pairs with «Принять» (the overview includes it by htmx)."""
    viewer, town, _ = _town(request)
    return render(request, "support/_proposed_pairs.html", {
        "town": town, "proposals": proposals_of(town),
        "may_assign": viewer.may(Action.MANAGE_ASSIGNMENTS, town),
        "next": request.GET.get("next", "")})
