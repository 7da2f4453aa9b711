"""The two heavy parts of a school card, rendered once and reused (opora.web.fragments).

- **The analysis sections** (flags with evidence, results against the region with the chart,
  context, non-objectivity signs, pairs, flags across runs) follow from the newest finished run
  covering the school, which never changes: the key is the school and that run.
- **The loaded data** (federal markers; the table of results as loaded, which the card loads
  when it is opened) changes only with an import: the key is the school and the newest import
  batch (its number and time).

The caller has checked that the user may see the school. The passport, which a school
administrator edits and must see at once, is not cached (views.school).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from opora.web.analysis.selectors import analysis_of_run, latest_finished_run
from opora.web.fragments import Fragment, cached_fragment
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import School
from opora.web.schools.selectors import school_has_results, school_markers, school_results


def analysis_part(*, school: School) -> Fragment:
    """The rendered analysis sections; ``extra["has_charts"]`` says whether the head needs
    the chart scripts. One query (the newest run) when cached, eight when not."""
    run = latest_finished_run(municipality=school.municipality)
    finished = run.finished_at.isoformat() if run is not None and run.finished_at else ""

    def build() -> Fragment:
        analysis = analysis_of_run(school=school, run=run)
        html = render_to_string("analysis/_school_sections.html", {"analysis": analysis})
        return Fragment(html, {"has_charts": bool(analysis["charts"])})

    return cached_fragment(f"card-analysis:{school.pk}:{run.pk if run else 0}:{finished}", build)


def _import_version() -> str:
    """The newest import batch, number and time: any import changes it (one query)."""
    newest = ImportBatch.objects.order_by("-pk").values_list("pk", "imported_at").first()
    return f"{newest[0]}:{newest[1].isoformat()}" if newest else "0"


def loaded_part(*, school: School) -> Fragment:
    """The rendered markers and the place of the results table. One query when cached."""
    def build() -> Fragment:
        return Fragment(render_to_string("schools/_loaded.html", {
            "school": school, "markers": school_markers(school=school),
            "has_results": school_has_results(school=school)}))

    return cached_fragment(f"card-loaded:{school.pk}:{_import_version()}", build)


def results_part(*, school: School) -> Fragment:
    """The rendered table of results as loaded. One query when cached, three when not."""
    def build() -> Fragment:
        return Fragment(render_to_string("schools/_results_table.html",
                                         {"results": school_results(school=school)}))

    return cached_fragment(f"card-results:{school.pk}:{_import_version()}", build)
