"""The two heavy parts of a school card, rendered once and reused (opora.web.fragments).

- **The analysis sections** (flags with evidence, results against the region with the chart,
  context, non-objectivity signs, pairs, flags across runs) follow from the newest finished run
  covering the school, which never changes: the key is the school and that run.
- **The loaded data** (federal markers; the table of results as loaded, which the card loads
  when it is opened) changes only with an import: the key is the school and the newest import
  batch (its number and time).

:func:`card_school` reads the school (through the user's scope) and both versions (one small
query), so a card whose parts are cached costs these two queries, the passports and the sign-in
reads. The passport, which a school administrator edits and must see at once, is not cached
(views.school).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.template.loader import render_to_string

from opora.web.analysis.models import DONE, AnalysisRun
from opora.web.analysis.selectors import analysis_of_run
from opora.web.fragments import Fragment, cached_fragment
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import School
from opora.web.schools.selectors import (
    import_stamp,
    school_get,
    school_has_results,
    school_markers,
    school_results,
)


@dataclass(frozen=True)
class CardVersions:
    """What a card's cached parts depend on: the newest finished run covering the school's
    municipality and the newest import batch (``None`` where there is none)."""

    run_pk: int | None
    run_finished: Any
    import_pk: int | None
    import_at: Any


def card_versions(school: School) -> CardVersions:
    """Both versions in one small query.

    Written as SQL on purpose: the same query through the ORM (four correlated subqueries on
    the school) cost ~4 ms of Python to build on every card, the SQL itself ~0.3 ms. Runs cover
    the school when they are of its municipality or region-wide over its region
    (``analysis.selectors.runs_covering``).
    """
    runs, batches = AnalysisRun._meta.db_table, ImportBatch._meta.db_table
    newest_run = (f"FROM {runs} WHERE status = %s AND (municipality_id = %s OR "
                  f"(municipality_id IS NULL AND region_id = %s)) "
                  f"ORDER BY finished_at DESC, id DESC LIMIT 1")
    newest_batch = f"FROM {batches} ORDER BY id DESC LIMIT 1"
    sql = (f"SELECT (SELECT id {newest_run}), (SELECT finished_at {newest_run}), "
           f"(SELECT id {newest_batch}), (SELECT imported_at {newest_batch})")
    where: list[str | int] = [DONE, school.municipality_id, school.municipality.region_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, where + where)
        row = cursor.fetchone()
    return CardVersions(*row)


def card_school(*, user: Any, pk: int) -> School:
    """The school if ``user`` may see it (404 otherwise), with ``school.versions``
    (:func:`card_versions`)."""
    school = school_get(user=user, pk=pk)
    school.versions = card_versions(school)  # type: ignore[attr-defined]
    return school


def analysis_part(*, school: School) -> Fragment:
    """The rendered analysis sections of a :func:`card_school`; ``extra["has_charts"]`` says
    whether the head needs the chart scripts. No query when cached, eight when not."""
    versions: CardVersions = school.versions  # type: ignore[attr-defined]
    run_pk, finished = versions.run_pk, versions.run_finished

    def build() -> Fragment:
        run = AnalysisRun.objects.select_related("municipality", "region").get(pk=run_pk) \
            if run_pk else None
        analysis = analysis_of_run(school=school, run=run)
        html = render_to_string("analysis/_school_sections.html", {"analysis": analysis})
        return Fragment(html, {"has_charts": bool(analysis["charts"])})

    stamp = str(finished or "")  # a datetime, or its text from SQLite
    return cached_fragment(f"card-analysis:{school.pk}:{run_pk or 0}:{stamp}", build)


def _import_version(school: School) -> str:
    """The newest import batch, number and time, of a :func:`card_school`: any import
    changes it."""
    versions: CardVersions = school.versions  # type: ignore[attr-defined]
    return import_stamp(versions.import_pk, versions.import_at)


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
