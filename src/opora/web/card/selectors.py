"""Reads of the registry for pages, always through the user's scope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opora.web.accounts.scope import Viewer
from opora.web.assessment.models import ObjectivityMarker, SchoolAggregate, StudentResult
from opora.web.context.models import ContextPassport
from opora.web.core.fragments import versioned_key
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import School

MARKS = (2, 3, 4, 5)


def _count_of(model: Any) -> Coalesce:
    """Rows of ``model`` per school as a subquery (no join blow-up, one query for the page)."""
    rows = (model.objects.filter(school=OuterRef("pk")).order_by().values("school")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def school_list(*, user: Any) -> list[School]:
    """Visible schools with the counts the list shows: context passports and result rows.

    Passports are counted on every request (a school administrator's edit shows at once); the
    rows of results and published totals change only with an import, so they are counted once
    per import and municipality (:func:`loaded_counts`) — a region has millions of rows.
    """
    visible = (Viewer.of(user).schools().select_related("municipality")
               .annotate(context_count=_count_of(ContextPassport))
               .order_by("municipality__name", "number", "short_name"))
    schools: list[School] = list(visible)
    counts = loaded_counts({s.municipality_id for s in schools})
    for school in schools:
        school.results_count, school.aggregates_count = counts.get(  # type: ignore[attr-defined]
            school.pk, (0, 0))
    return schools


LOADED_COUNTS_SECONDS = 3600


def import_stamp(pk: int | None, imported_at: Any) -> str:
    """The newest import batch as a cache-key part («0» before any import): every import makes
    a new batch, so whatever is keyed by it is never older than the loaded data."""
    return f"{pk}:{imported_at}" if pk else "0"


def loaded_counts(municipality_ids: set[int]) -> dict[int, tuple[int, int]]:
    """Participants' result rows and published totals per school id of these municipalities.

    Counted once per import and municipality: the key names the newest import batch (number and
    time), and every import makes a new one, so the counts are never older than the data. One
    query when all are cached; two grouped queries more for the municipalities that are not.
    """
    if not municipality_ids:
        return {}
    newest = ImportBatch.objects.order_by("-pk").values_list("pk", "imported_at").first()
    if newest is None:
        return {}
    keys = {m: versioned_key(f"loaded-counts:{import_stamp(*newest)}:{m}")
            for m in municipality_ids}
    found = cache.get_many(list(keys.values()))
    counts: dict[int, tuple[int, int]] = {}
    for part in found.values():
        counts.update(part)
    missing = [m for m, key in keys.items() if key not in found]
    if missing:
        fresh: dict[int, dict[int, list[int]]] = {m: {} for m in missing}
        loaded: tuple[type[Model], ...] = (StudentResult, SchoolAggregate)
        for column, model in enumerate(loaded):
            rows = (model._default_manager.filter(school__municipality_id__in=missing).order_by()
                    .values("school__municipality_id", "school").annotate(n=Count("pk"))
                    .values_list("school__municipality_id", "school", "n"))
            for municipality_id, school_id, n in rows:
                fresh[municipality_id].setdefault(school_id, [0, 0])[column] = n
        parts = {m: {school: (n[0], n[1]) for school, n in part.items()}
                 for m, part in fresh.items()}
        cache.set_many({keys[m]: part for m, part in parts.items()}, LOADED_COUNTS_SECONDS)
        for part in parts.values():
            counts.update(part)
    return counts


@dataclass
class ResultRow:
    """One cell of the card's results table: a school's work in one procedure × subject × grade × year.

    ``source`` says where the numbers come from: participants' results loaded from forms
    («результаты участников») or a published school total («опубликованный итог»). ``mean`` is in
    ``scale`` units (primary score of ``max_score`` for participants' results; the published
    scale for totals). Marks are counts of «2»…«5».
    """

    procedure: str
    subject: str
    grade: int
    year: int
    source: str
    participants: int
    mean: float | None
    scale: str
    max_score: float | None = None
    marks: dict[int, int | None] = field(default_factory=dict)
    below_threshold: int | None = None

    @property
    def mean_percent(self) -> float | None:
        if self.mean is None or not self.max_score:
            return None
        return 100 * self.mean / self.max_score


def _mark_counts() -> dict[str, Count]:
    return {f"mark_{m}": Count("pk", filter=Q(absent=False, mark=m)) for m in MARKS}


def school_results(*, school: School) -> list[ResultRow]:
    """Results of one school by procedure, subject, grade and year (two queries, any size).

    Participants' results are grouped in the database: participants are those present
    (``absent`` is false), the mean is over their primary scores. Published totals are read as
    they are. Newest year first, then procedure, subject and grade.
    """
    rows: list[ResultRow] = []
    # Mapping: the mark_N counts come from **_mark_counts(), which the stubs' row type misses
    students: QuerySet[StudentResult, Mapping[str, Any]] = (
        StudentResult.objects.filter(school=school).order_by()
        .values("procedure__name", "subject__name", "grade", "year", "scale__max_primary_score")
        .annotate(n=Count("pk", filter=Q(absent=False)),
                  mean=Avg("primary_score", filter=Q(absent=False)), **_mark_counts()))
    for r in students:
        rows.append(ResultRow(
            r["procedure__name"], r["subject__name"], r["grade"], r["year"],
            "результаты участников", r["n"], r["mean"], "первичный балл",
            r["scale__max_primary_score"], {m: r[f"mark_{m}"] for m in MARKS}))
    aggregates = (SchoolAggregate.objects.filter(school=school)
                  .select_related("procedure", "subject"))
    for a in aggregates:
        rows.append(ResultRow(
            a.procedure.name, a.subject.name, a.grade, a.year, "опубликованный итог",
            a.participants, a.mean_score, a.get_score_scale_display(),
            100.0 if a.score_scale in ("test", "percent") else None,
            {m: getattr(a, f"mark_{m}") for m in MARKS}, a.below_threshold))
    rows.sort(key=lambda r: (-r.year, r.procedure, r.subject, r.grade, r.source))
    return rows


def school_has_results(*, school: School) -> bool:
    """Whether any participants' result or published total is loaded for the school."""
    return (StudentResult.objects.filter(school=school).exists()
            or SchoolAggregate.objects.filter(school=school).exists())


def school_markers(*, school: School) -> list[ObjectivityMarker]:
    """Federal markers of possibly non-objective results loaded for the school, newest first.

    They are official facts with their source (the ФИОКО list), shown as loaded; the analysis
    sections use them as one of the non-objectivity signs.
    """
    return list(ObjectivityMarker.objects.filter(school=school).select_related("subject")
                .order_by("-year", "grade", "subject__name"))
