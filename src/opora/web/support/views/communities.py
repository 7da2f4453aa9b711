"""A network community's page: its members from many schools, joining, leaving, ending."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.staff.models import Teacher
from opora.web.support.models import Community, CommunityMember
from opora.web.support.roster import community_members
from opora.web.support.services.assignments import (
    community_create,
    community_end,
    community_join,
    community_leave,
)
from opora.web.support.views.assignments import _back, _date, _done, _town


def _community(request: HttpRequest, pk: int) -> tuple[Viewer, Community]:
    viewer = Viewer.of(request.user)
    found = get_object_or_404(Community.objects.select_related("municipality", "leader__school"),
                              pk=pk)
    if found.municipality.pk not in {m.pk for m in viewer.municipalities()}:
        raise Http404("Сообщество не найдено или недоступно")
    return viewer, found


@login_required
@require_GET
def community_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, found = _community(request, pk)
    members = community_members(found)
    inside = {m.teacher_id for m in members if m.left_on is None}
    candidates = (Teacher.objects.filter(school__municipality=found.municipality,
                                         active_to__isnull=True).exclude(pk__in=inside)
                  .select_related("school").order_by("school__number", "name"))
    return render(request, "support/community.html", {
        "community": found, "members": members, "candidates": candidates,
        "may_edit": viewer.may(Action.MANAGE_COMMUNITIES, found.municipality)
        and found.ended_on is None, "today": timezone.localdate()})


@login_required
@require_POST
def community_new(request: HttpRequest) -> HttpResponse:
    viewer, town, _ = _town(request)
    viewer.require(Action.MANAGE_COMMUNITIES, town, "Сообщества ведут координатор и методисты.")
    leader_id = request.POST.get("leader") or ""
    leader = Teacher.objects.filter(pk=leader_id).select_related("school").first() \
        if leader_id.isdigit() else None
    _done(request, lambda: community_create(
        by=request.user, municipality=town, name=request.POST.get("name", ""),
        kind=request.POST.get("kind", ""), subject=request.POST.get("subject", ""),
        leader=leader, started_on=_date(request.POST.get("started_on", ""),
                                        timezone.localdate())),
        f"Сообщество «{request.POST.get('name', '').strip()}» создано.")
    return _back(request, town.pk, "communities")


@login_required
@require_POST
def community_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, found = _community(request, pk)
    viewer.require(Action.MANAGE_COMMUNITIES, found.municipality)
    ids = [int(v) for v in request.POST.getlist("teacher") if v.isdigit()]
    teachers = list(Teacher.objects.filter(pk__in=ids).select_related("school"))
    day = _date(request.POST.get("joined_on", ""), timezone.localdate())
    for teacher in teachers:
        _done(request, lambda t=teacher: community_join(by=request.user, community=found,
                                                         teacher=t, joined_on=day),
              f"{teacher.name} — в сообществе.")
    return redirect("support:community", pk=pk)


@login_required
@require_POST
def community_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    _, found = _community(request, pk)
    member = get_object_or_404(CommunityMember, pk=member_pk, community=found)
    member.community = found
    _done(request, lambda: community_leave(
        by=request.user, member=member,
        left_on=_date(request.POST.get("left_on", ""), timezone.localdate())),
          "Педагог вышел из сообщества; запись остаётся в истории.")
    return redirect("support:community", pk=pk)


@login_required
@require_POST
def community_stop(request: HttpRequest, pk: int) -> HttpResponse:
    _, found = _community(request, pk)
    _done(request, lambda: community_end(
        by=request.user, community=found, reason=request.POST.get("reason", ""),
        ended_on=_date(request.POST.get("ended_on", ""), timezone.localdate())),
          "Работа сообщества закончена; оно остаётся в истории.")
    return redirect("support:community", pk=pk)
