"""Reading expert sheets (rubrics), scoped like review campaigns: Опора's default for everyone,
a municipality's own for the viewer's municipalities (a superuser: all)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from opora.web.accounts.scope import Viewer
from opora.web.programmes.models import ReviewCampaign, Rubric, RubricCriterion
from opora.web.programmes.selectors.reviews import review_campaigns_visible
from opora.web.programmes.services.reviews import default_rubric


def rubrics_visible(viewer: Viewer) -> QuerySet[Rubric]:
    default_rubric()  # made on first use
    rows = Rubric.objects.all() if viewer.superuser else Rubric.objects.filter(
        Q(municipality__isnull=True)
        | Q(municipality_id__in=[m.pk for m in viewer.municipalities()]))
    return rows.select_related("municipality", "created_by").prefetch_related(
        Prefetch("criteria", RubricCriterion.objects.order_by("position", "pk")))


def rubric_get(viewer: Viewer, pk: int) -> Rubric:
    found = rubrics_visible(viewer).filter(pk=pk).first() if viewer.active else None
    if found is None:
        raise Http404("Экспертный лист не найден или недоступен")
    return found


def rubric_campaigns(viewer: Viewer, rubric: Rubric) -> list[ReviewCampaign]:
    """The review campaigns the viewer sees that use ``rubric``."""
    return list(review_campaigns_visible(viewer).filter(rubric=rubric)
                .select_related("municipality").order_by("-created_at", "-pk"))
