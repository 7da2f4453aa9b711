"""Reading roadmaps: one roadmap's whole tree in a fixed number of queries, the roadmaps a viewer
sees, a school's current roadmap."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from opora.web.accounts.scope import Viewer
from opora.web.programmes.models import (
    Measure,
    Roadmap,
    RoadmapGoal,
    RoadmapProblem,
    RoadmapTask,
)
from opora.web.schools.models import School


def roadmaps_visible(viewer: Viewer) -> QuerySet[Roadmap]:
    """Roadmaps of schools the viewer sees, and those the viewer is assigned to review."""
    if viewer.superuser:
        return Roadmap.objects.all()
    reviewed = Roadmap.objects.filter(
        review_items__assignments__reviewer_id=viewer.user.pk,
        review_items__assignments__withdrawn_at__isnull=True).values("pk")
    return Roadmap.objects.filter(Q(school__in=viewer.schools()) | Q(pk__in=reviewed))


def roadmap_get(viewer: Viewer, pk: int) -> Roadmap:
    found = (roadmaps_visible(viewer).select_related("school__municipality__region")
             .filter(pk=pk).first()) if viewer.active else None
    if found is None:
        raise Http404("Дорожная карта не найдена или недоступна")
    return found


def current_roadmap(school: School) -> Roadmap | None:
    return Roadmap.objects.filter(school=school).order_by("-first_year", "-pk").first()


def tree(roadmap: Roadmap) -> list[RoadmapProblem]:
    """Problems → goals → tasks → indicators and measures (with their responsible people,
    evidence and comments): six queries whatever the size of the roadmap."""
    measures = Measure.objects.select_related("responsible").prefetch_related(
        "evidence__event", "evidence__document")
    tasks = RoadmapTask.objects.prefetch_related("indicators", Prefetch("measures", measures))
    goals = RoadmapGoal.objects.prefetch_related(Prefetch("tasks", tasks))
    return list(roadmap.problems.prefetch_related(Prefetch("goals", goals)))


def all_measures(problems: list[RoadmapProblem]) -> list[Measure]:
    return [m for p in problems for g in p.goals.all() for t in g.tasks.all()
            for m in t.measures.all()]
