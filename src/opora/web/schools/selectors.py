"""Reads of the registry for pages, always through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from opora.web.accounts.selectors import schools_visible_to
from opora.web.assessment.models import SchoolAggregate, StudentResult
from opora.web.context.models import ContextPassport
from opora.web.schools.models import School


def _count_of(model: Any) -> Coalesce:
    """Rows of ``model`` per school as a subquery (no join blow-up, one query for the page)."""
    rows = (model.objects.filter(school=OuterRef("pk")).order_by().values("school")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def school_list(*, user: Any) -> QuerySet[School]:
    """Visible schools with the counts the list shows: context passports and result rows."""
    return (schools_visible_to(user).select_related("municipality")
            .annotate(context_count=_count_of(ContextPassport),
                      results_count=_count_of(StudentResult),
                      aggregates_count=_count_of(SchoolAggregate))
            .order_by("municipality__name", "number", "short_name"))


def school_get(*, user: Any, pk: int) -> School:
    """One school if ``user`` may see it; 404 otherwise (its existence is not disclosed)."""
    school = (schools_visible_to(user).select_related("municipality__region")
              .filter(pk=pk).first())
    if school is None:
        raise Http404("Школа не найдена или недоступна")
    return school


def school_result_counts(*, school: School) -> list[dict[str, Any]]:
    """Per procedure and year: participants' results and published aggregates (cells, people)."""
    table: dict[tuple[str, int], dict[str, Any]] = {}
    students = (StudentResult.objects.filter(school=school)
                .values("procedure__name", "year").annotate(n=Count("pk")))
    for row in students:
        entry = table.setdefault((row["procedure__name"], row["year"]), _empty(row))
        entry["results"] = row["n"]
    aggregates = (SchoolAggregate.objects.filter(school=school)
                  .values("procedure__name", "year")
                  .annotate(cells=Count("pk"), people=Sum("participants")))
    for row in aggregates:
        entry = table.setdefault((row["procedure__name"], row["year"]), _empty(row))
        entry["cells"], entry["participants"] = row["cells"], row["people"]
    return [table[key] for key in sorted(table, key=lambda k: (-k[1], k[0]))]


def _empty(row: dict[str, Any]) -> dict[str, Any]:
    return {"procedure": row["procedure__name"], "year": row["year"], "results": 0, "cells": 0,
            "participants": 0}
