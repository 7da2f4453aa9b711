"""Reading expert review: the campaigns a viewer sees, an expert's sheets, one item with its
scores aggregated per criterion and the disagreements flagged.

Aggregation: per criterion, the mean of the submitted sheets' scores; a criterion whose highest
and lowest score differ by ``REVIEW_DISAGREEMENT_POINTS`` (2) or more is flagged for the
coordinator (the experts read the document differently — worth a word before deciding). The
total is the sum of the criteria's means, out of the sum of their maxima.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from opora.glossary import REVIEW_DISAGREEMENT_POINTS
from opora.web.accounts.scope import Viewer
from opora.web.programmes.models import (
    ReviewAssignment,
    ReviewCampaign,
    ReviewItem,
    ReviewScore,
    RubricCriterion,
)


@dataclass
class CriterionResult:
    criterion: RubricCriterion
    scores: list[tuple[int, ReviewScore | None]]  # (expert number, the score)

    @property
    def values(self) -> list[int]:
        return [s.score for _, s in self.scores if s is not None]

    @property
    def mean(self) -> float | None:
        return mean(self.values) if self.values else None

    @property
    def spread(self) -> int:
        return max(self.values) - min(self.values) if len(self.values) > 1 else 0

    @property
    def disagreement(self) -> bool:
        return self.spread >= REVIEW_DISAGREEMENT_POINTS


@dataclass
class ItemResults:
    item: ReviewItem
    criteria: list[CriterionResult]
    sheets: list[ReviewAssignment] = field(default_factory=list)  # submitted, in order

    @property
    def total(self) -> float | None:
        means = [c.mean for c in self.criteria]
        return sum(m for m in means if m is not None) if any(m is not None for m in means) \
            else None

    @property
    def maximum(self) -> int:
        return sum(c.criterion.max_score for c in self.criteria)

    @property
    def disagreements(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.disagreement]


def item_results(item: ReviewItem, criteria: list[RubricCriterion]) -> ItemResults:
    """``item`` with ``assignments`` and their ``scores`` prefetched (or read here)."""
    sheets = [a for a in item.assignments.all() if a.submitted_at is not None
              and a.withdrawn_at is None]
    by_sheet = [{s.criterion_id: s for s in a.scores.all()} for a in sheets]
    rows = [CriterionResult(c, [(n, scores.get(c.pk)) for n, scores in
                                enumerate(by_sheet, start=1)]) for c in criteria]
    return ItemResults(item, rows, sheets)


def review_campaigns_visible(viewer: Viewer) -> QuerySet[ReviewCampaign]:
    if viewer.superuser:
        return ReviewCampaign.objects.all()
    return ReviewCampaign.objects.filter(municipality_id__in=[m.pk for m in
                                                              viewer.municipalities()])


def review_campaign_get(viewer: Viewer, pk: int) -> ReviewCampaign:
    found = review_campaigns_visible(viewer).select_related(
        "municipality__region", "rubric", "document_campaign").filter(pk=pk).first()
    if found is None:
        raise Http404("Экспертиза не найдена или недоступна")
    return found


def campaign_items(campaign: ReviewCampaign) -> list[ReviewItem]:
    """The campaign's items with their sheets and scores (three queries)."""
    assignments = ReviewAssignment.objects.filter(withdrawn_at__isnull=True).select_related(
        "reviewer").prefetch_related("scores")
    return list(campaign.items.select_related("school", "document", "roadmap").prefetch_related(
        Prefetch("assignments", assignments)).order_by("school__number", "school__short_name",
                                                       "document__slot", "round", "pk"))


def items_visible(viewer: Viewer) -> QuerySet[ReviewItem]:
    """Items of the viewer's municipalities, of the schools they see, and those they review."""
    if viewer.superuser:
        return ReviewItem.objects.all()
    return ReviewItem.objects.filter(
        Q(campaign__municipality_id__in=[m.pk for m in viewer.municipalities()])
        | Q(school__in=viewer.schools())
        | Q(pk__in=ReviewAssignment.objects.filter(reviewer_id=viewer.user.pk,
                                                   withdrawn_at__isnull=True).values("item_id")))


def item_get(viewer: Viewer, pk: int) -> ReviewItem:
    found = (items_visible(viewer).select_related(
        "campaign__municipality__region", "campaign__rubric", "school__municipality", "document",
        "roadmap").filter(pk=pk).first()) if viewer.active else None
    if found is None:
        raise Http404("Работа не найдена или недоступна")
    return found


def my_assignments(viewer: Viewer) -> QuerySet[ReviewAssignment]:
    return (ReviewAssignment.objects.filter(reviewer_id=viewer.user.pk, withdrawn_at__isnull=True)
            .select_related("item__campaign", "item__school", "item__document", "item__roadmap")
            .order_by("submitted_at", "item__campaign__deadline", "pk"))


def assignment_get(viewer: Viewer, pk: int) -> ReviewAssignment:
    """An expert's own sheet; the coordinator of the campaign may read any of its sheets."""
    found = (ReviewAssignment.objects.select_related(
        "item__campaign__municipality", "item__campaign__rubric", "item__school", "item__document",
        "item__roadmap", "reviewer").filter(pk=pk).first()) if viewer.active else None
    if found is None or not (found.reviewer_id == viewer.user.pk or viewer.superuser
                             or found.item.campaign.municipality_id
                             in {m.pk for m in viewer.municipalities()}):
        raise Http404("Экспертный лист не найден или недоступен")
    return found


def school_items(school_id: int) -> list[ReviewItem]:
    """A school's review rounds, newest first, with sheets and scores."""
    assignments = ReviewAssignment.objects.filter(withdrawn_at__isnull=True).prefetch_related(
        "scores__criterion")
    return list(ReviewItem.objects.filter(school_id=school_id).select_related(
        "campaign__rubric", "document").prefetch_related(Prefetch("assignments", assignments))
        .order_by("-created_at", "-pk"))
