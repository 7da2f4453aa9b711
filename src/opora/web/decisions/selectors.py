"""Reads of the decisions app, scoped by the Viewer: what a user may see, what is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from opora.web.accounts.scope import Viewer
from opora.web.decisions.models import CycleStage, Decision, Meeting, PlanMeasure, Recommendation
from opora.web.decisions.terms import CYCLE_STAGES, OPEN_DECISION_STATUSES, SCHOOL_ADDRESSEES, name

#: What a school sees of the recommendations to it: the accepted ones and their outcome.
SCHOOL_SEES = ("accepted", "done", "not_done")


def recommendations_visible(viewer: Viewer) -> QuerySet[Recommendation]:
    """The municipality's coordinator and methodists and the region's staff: all of it; a school's
    administrator and its curator: the accepted recommendations addressed to the school itself."""
    found = Recommendation.objects.select_related("school", "municipality")
    if viewer.superuser:
        return found
    if not viewer.active:
        return found.none()
    schools = viewer.administered_school_ids() | viewer.curated_ids()
    condition = Q(municipality_id__in=viewer.municipal_ids()) | \
        Q(municipality__region_id__in=viewer.regional_ids()) | \
        Q(school_id__in=schools, addressee__in=SCHOOL_ADDRESSEES, status__in=SCHOOL_SEES)
    return found.filter(condition)


def recommendation_get(viewer: Viewer, pk: int) -> Recommendation:
    found = recommendations_visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("Рекомендация не найдена или недоступна")
    return found


def _municipal(viewer: Viewer) -> Q:
    if viewer.superuser:
        return Q()
    return Q(municipality_id__in=viewer.municipal_ids()) | \
        Q(municipality__region_id__in=viewer.regional_ids())


def meetings_visible(viewer: Viewer) -> QuerySet[Meeting]:
    if not viewer.active:
        return Meeting.objects.none()
    return Meeting.objects.filter(_municipal(viewer)).select_related("municipality")


def meeting_get(viewer: Viewer, pk: int) -> Meeting:
    found = meetings_visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404("Заседание не найдено или недоступно")
    return found


def decisions_visible(viewer: Viewer) -> QuerySet[Decision]:
    if not viewer.active:
        return Decision.objects.none()
    scope = Q() if viewer.superuser else \
        Q(item__meeting__municipality_id__in=viewer.municipal_ids()) | \
        Q(item__meeting__municipality__region_id__in=viewer.regional_ids())
    return Decision.objects.filter(scope).select_related("item__meeting__municipality")


@dataclass(frozen=True)
class Overdue:
    kind: str
    text: str
    due: dt.date
    link: str
    where: str


def overdue_for(viewer: Viewer, *, today: dt.date | None = None, limit: int = 10) -> list[Overdue]:
    """Everything past its date the viewer may see: recommendations, decisions, rows of the plan,
    stages of the year (earliest first)."""
    day = today or timezone.localdate()
    found = [Overdue("Рекомендация", r.text, r.deadline, reverse("decisions:recommendation",
                                                                 args=[r.pk]),
                     r.school.short_name if r.school else r.municipality.name)
             for r in recommendations_visible(viewer).filter(status="accepted",
                                                             deadline__lt=day)[:limit]
             if r.deadline is not None]
    if viewer.superuser or viewer.municipal_ids() or viewer.regional_ids():
        found += [Overdue("Решение", d.text, d.deadline,
                          reverse("decisions:meeting", args=[d.item.meeting_id]),
                          d.item.meeting.municipality.name)
                  for d in decisions_visible(viewer).filter(status__in=OPEN_DECISION_STATUSES,
                                                            deadline__lt=day)[:limit]]
        plan = PlanMeasure.objects.filter(_municipal(viewer), status="planned", due_on__lt=day)
        found += [Overdue("Мероприятие плана", m.measure, m.due_on,
                          reverse("decisions:plan") + f"?municipality={m.municipality_id}"
                          f"&year={m.year}", m.municipality.name)
                  for m in plan.select_related("municipality")[:limit] if m.due_on is not None]
        stages = CycleStage.objects.filter(_municipal(viewer), done_on__isnull=True,
                                           due_on__lt=day).select_related("municipality")
        found += [Overdue("Этап года", name(CYCLE_STAGES, s.stage), s.due_on,
                          reverse("decisions:cycle") + f"?municipality={s.municipality_id}",
                          s.municipality.name) for s in stages[:limit]]
    return sorted(found, key=lambda o: o.due)[:limit]


def responsible_choices(municipality: Any) -> list[Any]:
    """Users who may be named responsible: the municipality's roles and its schools' ones."""
    from django.contrib.auth import get_user_model

    from opora.web.accounts.models import RoleAssignment

    ids = RoleAssignment.objects.filter(Q(municipality=municipality)
                                        | Q(school__municipality=municipality)) \
        .values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True)
                .order_by("username"))
