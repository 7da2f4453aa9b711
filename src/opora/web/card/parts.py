"""The heavy parts of a school card, rendered once and reused (opora.web.core.fragments).

- **The analysis sections** (flags with evidence, results against the region with the chart,
  context, non-objectivity signs, pairs, flags across runs) follow from the newest finished run
  covering the school, which never changes: the key is the school and that run.
- **The loaded data** (federal markers; the table of results as loaded, which the card loads
  when it is opened) changes only with an import: the key is the school and the newest import
  batch (its number and time).
- **The context passport** by year, which a school administrator edits and must see at once:
  the key is the passports' content (read as plain SQL and hashed) and the reader's powers.
- **The head** (links, identity, the places the panels load into): the key is the school's row
  as read, its municipality's and region's names, and whether the reader sees the history.

:func:`card_school` reads the school with its municipality and region and its versions — newest
run, newest import, newest registry change — in one query; :func:`card_parts` reads the passport
rows and then all four parts (with the head: links, identity, the places of the panels) in one
round trip to the cache. A card whose parts are cached costs these two queries and the sign-in
reads. When a run finishes, the worker renders its cards ahead (card/warming.py).
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from opora.web.accounts.scope import SchoolPowers, Viewer
from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList
from opora.web.analysis.official import school_list_history
from opora.web.analysis.selectors import analysis_of_run
from opora.web.card.models import StoredAnalysisPart
from opora.web.card.selectors import (
    import_stamp,
    school_has_results,
    school_markers,
    school_results,
)
from opora.web.context.forms import EDITABLE_FIELDS, label_of, unit_of
from opora.web.context.models import ContextPassport
from opora.web.context.selectors import passport_years, school_year
from opora.web.core.fragments import Fragment, cached_fragment, cached_fragments, versioned_key
from opora.web.core.history_tables import history_table
from opora.web.core.plain_reads import ModelColumns, model_columns
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import Municipality, Region, School


@dataclass(frozen=True)
class CardVersions:
    """What a card's cached parts depend on: the official list covering the school's
    municipality (its id and run), the newest finished run covering it (a draft until approved),
    the newest import batch and the newest change of the school registry (``None`` where there
    is none)."""

    run_pk: int | None
    run_finished: Any
    official_pk: int | None
    official_run_pk: int | None
    import_pk: int | None
    import_at: Any
    registry: int | None


def _versions_select(municipality: str, region: str) -> str:
    """The seven version columns of :class:`CardVersions` as SQL expressions over the SQL
    ``municipality`` and ``region`` (placeholders, or the columns of a joined school); the
    finished status (``DONE``) is the placeholder of each of the two run subqueries.

    Written as SQL on purpose: the same through the ORM (correlated subqueries on the school)
    cost ~4 ms of Python to build on every card, the SQL itself ~0.3 ms. Runs and lists cover
    the school when they are of its municipality or region-wide over its region
    (``analysis.selectors.runs_covering``; the official list's order is that of
    ``analysis.official.official_list``: the latest year, the municipality's own before the
    region's, the latest approved). The registry's version is its newest history row: every
    school created, renamed or changed writes one, and the analysis sections show partner
    schools' names.
    """
    runs, batches = AnalysisRun._meta.db_table, ImportBatch._meta.db_table
    lists = ApprovedList._meta.db_table
    covering = (f"({runs}.municipality_id = {municipality} OR ({runs}.municipality_id IS NULL "
                f"AND {runs}.region_id = {region}))")
    newest_run = (f"FROM {runs} WHERE {runs}.status = %s AND {covering} "
                  f"ORDER BY {runs}.finished_at DESC, {runs}.id DESC LIMIT 1")
    covered = covering.replace(runs, lists)
    official = (f"FROM {lists} WHERE {lists}.withdrawn_at IS NULL AND {covered} ORDER BY "
                f"{lists}.year DESC, CASE WHEN {lists}.municipality_id IS NULL THEN 1 ELSE 0 END, "
                f"{lists}.approved_at DESC, {lists}.id DESC LIMIT 1")
    newest_batch = f"FROM {batches} ORDER BY id DESC LIMIT 1"
    columns = (f"(SELECT {runs}.id {newest_run}), (SELECT {runs}.finished_at {newest_run}), "
               f"(SELECT {lists}.id {official}), (SELECT {lists}.run_id {official}), "
               f"(SELECT id {newest_batch}), (SELECT imported_at {newest_batch}), "
               f"(SELECT MAX(history_id) FROM {history_table(School)})")
    return columns


def card_versions(school: School) -> CardVersions:
    """The versions of ``school``'s card in one small query (:func:`_versions_select`)."""
    columns = _versions_select("%s", "%s")
    place = [school.municipality_id, school.municipality.region_id]
    # in the order the placeholders come: a run's status and place twice, a list's place twice
    where: list[Any] = [DONE, *place, DONE, *place, *place, *place]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", where)
        row = cursor.fetchone()
    return CardVersions(*row)


@functools.cache
def _school_and_versions_read() -> tuple[str, list[ModelColumns]]:
    """One SELECT of a school, its municipality, its region and its card's versions, and the
    columns of the three models in it (built once per process)."""
    models = [model_columns(m) for m in (School, Municipality, Region)]
    school, municipality, region = (m._meta.db_table for m in (School, Municipality, Region))
    versions = _versions_select(f"{municipality}.id", f"{municipality}.region_id")
    sql = (f"SELECT {', '.join(c for m in models for c in m.sql)}, {versions} FROM {school} "
           f"JOIN {municipality} ON {municipality}.id = {school}.municipality_id "
           f"JOIN {region} ON {region}.id = {municipality}.region_id WHERE {school}.id = %s")
    return sql, models


def _school_with_versions(pk: int) -> School | None:
    """The school ``pk`` with ``municipality.region`` loaded and ``school.versions`` set, in
    one query (a card's hottest read: the ORM's ``select_related`` read and a second query for
    the versions cost ~1 ms more of a ~6 ms card, issue 18)."""
    sql, models = _school_and_versions_read()
    with connection.cursor() as cursor:
        cursor.execute(sql, [DONE, DONE, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    read, start = [], 0
    for columns in models:
        read.append(columns.instance(row[start:start + len(columns.sql)]))
        start += len(columns.sql)
    found, municipality, region = read
    municipality.region = region
    found.municipality = municipality
    found.versions = CardVersions(*row[start:])
    return found


@dataclass(frozen=True)
class CardAnalysis:
    """Which run a card's analysis shows: the official list's run; before any list is approved,
    to those who see drafts, the newest finished run marked as a draft."""

    run_pk: int | None
    official_pk: int | None
    draft: bool


def card_analysis(versions: CardVersions, sees_drafts: bool) -> CardAnalysis:
    if versions.official_pk is not None:
        return CardAnalysis(versions.official_run_pk, versions.official_pk, draft=False)
    if sees_drafts and versions.run_pk is not None:
        return CardAnalysis(versions.run_pk, None, draft=True)
    return CardAnalysis(None, None, draft=False)


def card_school(*, user: Any, pk: int) -> School:
    """The school if ``user`` may see it (404 otherwise), with ``school.versions``
    (:func:`card_versions`), in one query."""
    return Viewer.of(user).seen(_school_with_versions(pk))


#: Every card part's key names all it depends on, so parts may live long: a day, so that the
#: parts the worker renders when a run finishes (card/warming.py) wait for their readers.
CARD_PART_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CardParts:
    """The rendered parts of a card: analysis sections, passport, loaded data."""

    head: Fragment
    analysis: Fragment
    passport: Fragment
    loaded: Fragment


def card_parts(*, school: School, powers: SchoolPowers, sees_drafts: bool = False) -> CardParts:
    """The four cached parts of a :func:`card_school` in one round trip to the cache.

    One query (the passport rows, for their key) when all are cached; the analysis takes
    eight more when it is not, the passport one, the loaded data two. ``sees_drafts``: the
    reader may see the municipality's runs before one is approved (:func:`card_analysis`).
    """
    shown = card_analysis(school.versions, sees_drafts)  # type: ignore[attr-defined]
    passport_key, passport_build = passport_part(school, powers, passport_rows(school))
    keys = {"head": head_key(school, powers), "analysis": analysis_key(school, shown),
            "passport": passport_key, "loaded": loaded_key(school)}
    builds = {keys["head"]: lambda: head_build(school, powers),
              keys["analysis"]: lambda: analysis_kept_or_built(school, shown, keys["analysis"]),
              keys["passport"]: passport_build,
              keys["loaded"]: lambda: loaded_build(school)}
    found = cached_fragments(builds, seconds=CARD_PART_SECONDS)
    return CardParts(**{part: found[key] for part, key in keys.items()})


def head_key(school: School, powers: SchoolPowers) -> str:
    """The school's row as read (any change of it, however written, shows at once), the names
    of its municipality and region, and the reader's powers (the «История изменений» link)."""
    row = [getattr(school, f.attname) for f in School._meta.concrete_fields]
    content = hashlib.blake2b(repr((row, school.municipality.name,
                                    school.municipality.region.name)).encode(),
                              digest_size=12).hexdigest()
    return f"card-head:{school.pk}:{content}:{int(powers.see_history)}"


def head_build(school: School, powers: SchoolPowers) -> Fragment:
    """The head with its links, the identity and the places the panels load into: nine
    addresses reversed and a dozen fields formatted, ~1 ms of every card before it was kept."""
    return Fragment(render_to_string("card/_head.html", {"school": school, "powers": powers}))


def analysis_key(school: School, shown: CardAnalysis) -> str:
    """The school, the run shown and how (the official list, a draft, or none yet), the newest
    finished run (with its finish time: a test database may reuse a primary key; a draft's
    content) and the registry's version (partners' names)."""
    versions: CardVersions = school.versions  # type: ignore[attr-defined]
    stamp = str(versions.run_finished or "")  # a datetime, or its text from SQLite
    how = f"list{shown.official_pk}" if shown.official_pk else ("draft" if shown.draft else "none")
    return (f"card-analysis:{school.pk}:{shown.run_pk or 0}:{how}:{versions.run_pk or 0}:{stamp}"
            f":{versions.registry or 0}")


def analysis_build(school: School, shown: CardAnalysis) -> Fragment:
    """The analysis sections with what they show (the official list or a draft);
    ``extra["has_charts"]`` says whether the head needs the chart scripts. Nine queries."""
    run = AnalysisRun.objects.select_related("municipality", "region").get(pk=shown.run_pk) \
        if shown.run_pk else None
    official = (ApprovedList.objects.select_related("run").get(pk=shown.official_pk)
                if shown.official_pk else None)
    analysis = analysis_of_run(school=school, run=run)
    html = render_to_string("analysis/_school_sections.html", {
        "analysis": analysis, "official": official, "draft": shown.draft,
        "list_history": school_list_history(school)})
    return Fragment(html, {"has_charts": bool(analysis["charts"])})


def analysis_kept_or_built(school: School, shown: CardAnalysis, key: str) -> Fragment:
    """The analysis sections kept in the database under ``key`` (card/models.py), else built
    by :func:`analysis_build` and kept: one query instead of nine and the rendering when the
    cache has lost them (a Redis restart, or a day after they were rendered)."""
    if shown.run_pk is None:  # no run to show: nothing dear to render
        return analysis_build(school, shown)
    variant, stored_key = _variant(shown), versioned_key(key)
    kept = (StoredAnalysisPart.objects.filter(school=school, variant=variant, key=stored_key)
            .values_list("html", "has_charts")[:1])
    for packed, has_charts in kept:
        return Fragment(mark_safe(zlib.decompress(bytes(packed)).decode("utf-8")),
                        {"has_charts": has_charts})
    built = analysis_build(school, shown)
    StoredAnalysisPart.objects.update_or_create(
        school=school, variant=variant,
        defaults={"key": stored_key, "html": zlib.compress(str(built.html).encode("utf-8"), 1),
                  "has_charts": bool(built.extra["has_charts"])})
    return built


def _variant(shown: CardAnalysis) -> str:
    """How the analysis is shown (card/models.py, ``VARIANTS``)."""
    return "list" if shown.official_pk else "draft"


def passport_rows(school: School) -> list[tuple[Any, ...]]:
    """The school's passports as plain rows, newest year first: what the passport part's key
    is made of, and what it is built from (~0.3 ms as SQL; the ORM read and the table's
    rendering cost ~2.5 ms)."""
    sql, _ = _passport_read()
    with connection.cursor() as cursor:
        cursor.execute(sql, [school.pk])
        return list(cursor.fetchall())


@functools.cache
def _passport_read() -> tuple[str, ModelColumns]:
    columns = model_columns(ContextPassport)
    table = ContextPassport._meta.db_table
    return (f"SELECT {', '.join(columns.sql)} FROM {table} WHERE {table}.school_id = %s "
            f"ORDER BY {table}.year DESC", columns)


def passport_part(school: School, powers: SchoolPowers,
                  rows: list[tuple[Any, ...]]) -> tuple[str, Callable[[], Fragment]]:
    """The passport part's key and builder, for ``rows`` (:func:`passport_rows`).

    A school administrator's edit must show at once, whatever wrote it (the form, the admin,
    an import), so the key is the passports' content itself, hashed. It also names what the
    reader may do (the «Изменить» and «История» links) and the current school year (the years
    the form offers).
    """
    content = hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()
    years = passport_years()
    key = (f"card-passport:{school.pk}:{content}:{int(powers.edit_passport)}"
           f"{int(powers.see_history)}:{years.start}")

    def build() -> Fragment:  # from the rows in hand, converted as the ORM converts them
        passports: list[ContextPassport] = [_passport_read()[1].instance(r) for r in rows]
        return Fragment(render_to_string("card/_passport.html", {
            "school": school, "powers": powers, "passports": passports,
            "passport_rows": _passport_table(passports),
            "passport_labels": [school_year(p.year) for p in passports],
            "passport_years": [(y, school_year(y)) for y in years]}))

    return key, build


def _passport_table(passports: list[ContextPassport]) -> list[dict[str, Any]]:
    """Indicators as rows (label, unit, a value per year): 13 indicators read down, years across."""
    return [{"label": label_of(n), "unit": unit_of(n), "values": [getattr(p, n) for p in passports]}
            for n in EDITABLE_FIELDS]


def _import_version(school: School) -> str:
    """The newest import batch, number and time, of a :func:`card_school`: any import
    changes it."""
    versions: CardVersions = school.versions  # type: ignore[attr-defined]
    return import_stamp(versions.import_pk, versions.import_at)


def loaded_key(school: School) -> str:
    """The school and the newest import batch."""
    return f"card-loaded:{school.pk}:{_import_version(school)}"


def loaded_build(school: School) -> Fragment:
    """The markers and the place of the results table. Two queries."""
    return Fragment(render_to_string("card/_loaded.html", {
        "school": school, "markers": school_markers(school=school),
        "has_results": school_has_results(school=school)}))


def results_part(*, school: School) -> Fragment:
    """The rendered table of results as loaded. No query when cached, two when not."""
    def build() -> Fragment:
        return Fragment(render_to_string("card/_results_table.html",
                                         {"results": school_results(school=school)}))

    return cached_fragment(f"card-results:{school.pk}:{_import_version(school)}", build,
                           seconds=CARD_PART_SECONDS)
