"""The two heavy parts of a school card, rendered once and reused (opora.web.fragments).

- **The analysis sections** (flags with evidence, results against the region with the chart,
  context, non-objectivity signs, pairs, flags across runs) follow from the newest finished run
  covering the school, which never changes: the key is the school and that run.
- **The loaded data** (federal markers; the table of results as loaded, which the card loads
  when it is opened) changes only with an import: the key is the school and the newest import
  batch (its number and time).

:func:`card_school` reads the school (through the user's scope) together with both versions in
one query, so a card whose parts are cached costs that query, the passports and the sign-in
reads. The passport, which a school administrator edits and must see at once, is not cached
(views.school).
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string

from opora.web.analysis.models import DONE, AnalysisRun
from opora.web.analysis.selectors import analysis_of_run
from opora.web.fragments import Fragment, cached_fragment
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import School
from opora.web.schools.selectors import (
    school_get,
    school_has_results,
    school_markers,
    school_results,
)


def _newest(queryset: Any, field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def card_school(*, user: Any, pk: int) -> School:
    """The school if ``user`` may see it (404 otherwise), annotated with what its parts depend
    on: ``run_pk``/``run_finished`` — the newest finished run covering its municipality (or
    ``None``), ``import_pk``/``import_at`` — the newest import batch (or ``None``)."""
    runs = (AnalysisRun.objects.filter(status=DONE)
            .filter(Q(municipality=OuterRef("municipality"))
                    | Q(municipality__isnull=True, region=OuterRef("municipality__region")))
            .order_by("-finished_at", "-pk"))
    imports = ImportBatch.objects.order_by("-pk")
    return school_get(user=user, pk=pk, annotations={
        "run_pk": _newest(runs, "pk"), "run_finished": _newest(runs, "finished_at"),
        "import_pk": _newest(imports, "pk"), "import_at": _newest(imports, "imported_at")})


def analysis_part(*, school: School) -> Fragment:
    """The rendered analysis sections of a :func:`card_school`; ``extra["has_charts"]`` says
    whether the head needs the chart scripts. No query when cached, eight when not."""
    run_pk, finished = school.run_pk, school.run_finished  # type: ignore[attr-defined]

    def build() -> Fragment:
        run = AnalysisRun.objects.select_related("municipality", "region").get(pk=run_pk) \
            if run_pk else None
        analysis = analysis_of_run(school=school, run=run)
        html = render_to_string("analysis/_school_sections.html", {"analysis": analysis})
        return Fragment(html, {"has_charts": bool(analysis["charts"])})

    stamp = finished.isoformat() if finished else ""
    return cached_fragment(f"card-analysis:{school.pk}:{run_pk or 0}:{stamp}", build)


def _import_version(school: School) -> str:
    """The newest import batch, number and time, of a :func:`card_school`: any import
    changes it."""
    pk, at = school.import_pk, school.import_at  # type: ignore[attr-defined]
    return f"{pk}:{at.isoformat()}" if pk else "0"


def loaded_part(*, school: School) -> Fragment:
    """The rendered markers and the place of the results table. No query when cached."""
    def build() -> Fragment:
        return Fragment(render_to_string("schools/_loaded.html", {
            "school": school, "markers": school_markers(school=school),
            "has_results": school_has_results(school=school)}))

    return cached_fragment(f"card-loaded:{school.pk}:{_import_version(school)}", build)


def results_part(*, school: School) -> Fragment:
    """The rendered table of results as loaded. No query when cached, two when not."""
    def build() -> Fragment:
        return Fragment(render_to_string("schools/_results_table.html",
                                         {"results": school_results(school=school)}))

    return cached_fragment(f"card-results:{school.pk}:{_import_version(school)}", build)
