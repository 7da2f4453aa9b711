"""The municipality overview («Обзор»): every school of the municipality with its flags.

One call of :func:`overview` makes the same number of queries whatever the number of schools
(issue 4, «Query budget»): the user's roles, the municipalities, the runs, the schools, the run's
flags, its school stats of the year shown, its context of that year, the procedures and subjects
present. Everything else — counts, filters, sorting, the charts — is done on those rows here.

A finished run never changes, so the list it gives for a municipality and filters is rendered
once and kept in the cache (:mod:`opora.web.core.fragments`), shared by its readers; the page's
content around it (the run choice, the filters) is kept per reader and address under the version
of what it depends on (:func:`overview_body`, :mod:`opora.web.analysis.versions`), so a repeat
request reads one small version query and one cache entry. The flags' evidence is not in the list: each flag loads its
sentence when it is opened (:func:`flag_evidence`), which keeps the page of a 238-school town at
~280 KB instead of ~640 KB (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from opora.glossary import (
    ADVERSE_CONTEXT,
    FLAG_ORDER,
    LEADER,
    LOW_AND_ADVERSE,
    LOW_RESULTS,
    LOW_RESULTS_FLAGS,
    NON_OBJECTIVE,
    RESILIENT,
    RISK_ZONE,
    FlagTerm,
    Grouping,
    flag_label,
    flag_rank,
)
from opora.web.accounts.scope import Viewer
from opora.web.analysis.labels import procedure_name, subject_name
from opora.web.analysis.models import (
    DONE,
    AnalysisRun,
    ApprovedList,
    RunContext,
    RunFlag,
    RunSchoolStat,
)
from opora.web.analysis.official import official_run
from opora.web.analysis.selectors import may_see_drafts, runs_covering, visible_runs
from opora.web.analysis.versions import overview_version
from opora.web.charts import funnel_chart, spec_json, typology_chart, typology_gap_points
from opora.web.core.fragments import Fragment, cached_fragment
from opora.web.core.ordering import natural_key
from opora.web.schools.models import Municipality, School

#: The counts on top (issue 4), each a flag or a combination of flags (the glossary's plurals).
COUNTED: tuple[FlagTerm | Grouping, ...] = (
    LOW_RESULTS, ADVERSE_CONTEXT, LOW_AND_ADVERSE, RISK_ZONE, NON_OBJECTIVE, RESILIENT, LEADER)
COUNTS: tuple[tuple[str, str], ...] = tuple((term.code, term.plural_ru) for term in COUNTED)
SORTS = ("name", "number", "flags", "participants", "mean", "gap")
_INT_PARAMS = ("municipality", "run", "year", "grade", "page")
#: Schools per page of the overview's table (issue 18: a 238-school town was 265 KB in one
#: page); the counts and the charts stay over every school of the municipality.
PAGE_SIZE = 50


@dataclass(frozen=True)
class OverviewQuery:
    """The overview's GET parameters, parsed (unknown or malformed values are ignored)."""

    municipality: int | None = None
    run: int | None = None
    flag: str = ""
    procedure: str = ""
    subject: str = ""
    year: int | None = None
    grade: int | None = None
    microdistrict: str = ""
    sort: str = "name"
    page: int | None = None  # 1-based; none: the first
    part: str = ""  # "charts": the two charts alone (the page loads them after the list)

    @classmethod
    def from_get(cls, params: QueryDict) -> OverviewQuery:
        ints: dict[str, int | None] = {}
        for name in _INT_PARAMS:
            text = params.get(name, "").strip()
            ints[name] = int(text) if text.isdigit() and len(text) < 10 else None
        if ints["page"] is not None and ints["page"] < 2:
            ints["page"] = None  # page 1 is the page without the parameter (one cache key)
        sort = params.get("sort", "name")
        return cls(**ints, flag=params.get("flag", "").strip()[:32],
                   procedure=params.get("procedure", "").strip()[:8],
                   subject=params.get("subject", "").strip()[:32],
                   microdistrict=params.get("microdistrict", "").strip()[:200],
                   sort=sort if sort.lstrip("-") in SORTS else "name",
                   part="charts" if params.get("part") == "charts" else "")

    def params(self, **changes: Any) -> str:
        """The query string of these parameters with some changed (empty ones left out)."""
        values = {k: v for k, v in {**self.__dict__, **changes}.items() if v not in (None, "")}
        return "?" + urlencode(values)


@dataclass
class SchoolRow:
    school: School
    flags: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    participants: int = 0
    mean_pct: float | None = None
    gap_pct: float | None = None

    run_id: int = 0

    @property
    def evidence_url(self) -> str:
        """Where the flags of this row load their evidence (``?flag=…&year=…`` is added)."""
        return reverse("analysis:evidence", args=[self.run_id, self.school.pk])

    @property
    def flag_items(self) -> list[dict[str, Any]]:
        return [{"flag": code, "label": flag_label(code), "year": year, "evidence": evidence}
                for code in sorted(self.flags, key=flag_rank)
                for year, evidence in sorted(self.flags[code], reverse=True)]


def _choose(query: OverviewQuery, municipalities: list[Municipality]) -> Municipality:
    if query.municipality is None:
        return municipalities[0]
    for municipality in municipalities:
        if municipality.pk == query.municipality:
            return municipality
    raise Http404("Муниципалитет не найден или недоступен")


#: Texts and JSON of a run that the run choice of every overview request does not need; the
#: list of the cached part reads ``run_json`` once when it is built (one query more then).
RUN_TEXTS = ("rules_text", "run_json", "timings", "counts", "message")


def _finished_runs_of(municipality: Municipality, *, drafts: bool) -> list[AnalysisRun]:
    """The 50 newest finished runs covering ``municipality`` (``runs_covering``) the reader may
    see — drafts only if ``drafts`` —, for the run choice of every overview request: without
    their texts, and without joins — a run covering it is either its own or region-wide over its
    region, so both are the objects in hand. ``run.list_year``: the year whose current official
    list the run is (``None``: a draft, or a list since replaced)."""
    current = ApprovedList.objects.filter(run=OuterRef("pk"), withdrawn_at__isnull=True)
    runs_qs = (runs_covering([municipality]).select_related(None).filter(status=DONE)
               .annotate(list_year=Subquery(current.order_by("-year").values("year")[:1]),
                         approved=Exists(ApprovedList.objects.filter(run=OuterRef("pk")))))
    if not drafts:
        runs_qs = runs_qs.filter(approved=True)
    runs: list[AnalysisRun] = list(runs_qs.defer(*RUN_TEXTS).order_by("-finished_at", "-pk")[:50])
    for run in runs:
        run.region = municipality.region
        run.municipality = municipality if run.municipality_id else None
    return runs


def _runs(query: OverviewQuery, municipality: Municipality,
          viewer: Viewer) -> tuple[list[AnalysisRun], AnalysisRun | None]:
    """The run choice and the run shown: the one asked for, else the official list's run, else
    (for those who see drafts) the newest draft."""
    runs = _finished_runs_of(municipality, drafts=may_see_drafts(viewer, municipality))
    if query.run is None:
        official = official_run(municipality)
        chosen = next((r for r in runs if official is not None and r.pk == official.pk), None)
        return runs, chosen or (runs[0] if runs else None)
    chosen = next((r for r in runs if r.pk == query.run), None)
    if chosen is None:
        chosen = visible_runs(viewer, [municipality]).filter(status=DONE, pk=query.run).first()
    if chosen is None:
        raise Http404("Расчёт не найден или недоступен")
    return runs, chosen


def run_years(run: AnalysisRun) -> list[int]:
    """The years the engine analysed (``run.json``), newest last."""
    return [int(y) for y in run.run_json.get("years_analysed") or []]


RESULTS_TEMPLATE = "analysis/_overview_results.html"
#: The typology and the funnel: ~110 KB of chart data for a 238-school town, three quarters of
#: the page, so the list loads them after itself (htmx, the same URL with ``part=charts``).
CHARTS_TEMPLATE = "analysis/_overview_charts.html"
FILTERS_TEMPLATE = "analysis/_overview_filters.html"


def _scope(user: Any, query: OverviewQuery) -> dict[str, Any]:
    """The municipality and run asked for, within the user's scope (403 / 404 otherwise)."""
    municipalities = Viewer.of(user).require_municipalities()
    municipality = _choose(query, municipalities)
    runs, run = _runs(query, municipality, Viewer.of(user))
    return {"municipalities": municipalities, "municipality": municipality, "runs": runs,
            "run": run, "query": query}


def overview(*, user: Any, query: OverviewQuery, registry: int) -> dict[str, Any]:
    """The overview page's context for ``user``: the scope, ``filters_html``, ``results_html``.

    ``results_html`` is the rendered list with counts and charts (``RESULTS_TEMPLATE``) and
    ``filters_html`` the filter form (``FILTERS_TEMPLATE``). For a finished run both are
    rendered once per municipality, filters, and the user's choice of municipalities and runs,
    and then read from the cache (:mod:`opora.web.core.fragments`). The scope is checked on every
    request, before. ``registry``: the registry's version, read by :func:`overview_body` with
    the page's version (the shared list names it).
    """
    data = _scope(user, query)
    run, municipality = data["run"], data["municipality"]
    if run is None:
        data["filters_html"] = render_to_string(FILTERS_TEMPLATE, data)
        data["results_html"] = render_to_string(RESULTS_TEMPLATE, data)
        return data

    charts_query = replace(query, page=None, part="charts")
    charts_key = f"{_cache_key(run, municipality, charts_query, registry)}:{_choices_key(data)}"
    derived: dict[str, Any] = {}  # computed once for the list and its charts

    def context() -> dict[str, Any]:
        if not derived:
            derived.update(_derived(run, municipality, query))
        return {**data, **derived}

    def build_charts() -> Fragment:
        return Fragment(render_to_string(CHARTS_TEMPLATE, context()),
                        {"filters_html": ""})

    if query.part == "charts":  # an htmx request of the list: the charts go in its place
        data["results_html"] = cached_fragment(charts_key, build_charts).html
        data["filters_html"] = ""
        return data

    def build() -> Fragment:
        full = context()
        full.update(_paged(full["rows"], query), sort_links=_sort_links(query),
                    charts_url=charts_query.params(municipality=municipality.pk, run=run.pk))
        cached_fragment(charts_key, build_charts)  # ready when the page asks for them
        return Fragment(render_to_string(RESULTS_TEMPLATE, full),
                        {"filters_html": str(render_to_string(FILTERS_TEMPLATE, full))})

    key = f"{_cache_key(run, municipality, query, registry)}:{_choices_key(data)}"
    fragment = cached_fragment(key, build)
    data["results_html"] = fragment.html
    data["filters_html"] = mark_safe(fragment.extra["filters_html"])  # an autoescaping template
    return data


#: The overview's content (everything but the site's frame) for one reader and address.
BODY_TEMPLATE = "analysis/_overview_body.html"
#: A page body lives an hour at most: its key names what it depends on; the hour bounds memory.
BODY_SECONDS = 3600


def overview_body(*, user: Any, query: OverviewQuery, path: str, partial: bool = False
                  ) -> tuple[SafeString, dict[str, Any]]:
    """The overview's content for ``user`` at ``path`` (the address with its query), and the
    context it was built from when it was built now (empty when it came from the cache).

    Rendered once per reader, address, day and version of what the page depends on
    (:func:`opora.web.analysis.versions.overview_version`: the reader's roles, finished runs,
    official lists, the registry), then read from the cache: a request costs the version query
    and one cache read instead of the scope, the run choice and the official list (five queries
    and ~8 ms of ORM and templates). The scope check runs whenever the body is built; a reader
    whose roles change gets a new version and so a new check. ``partial``: the list alone, as an
    htmx request of the filters and sort links swaps it.
    """
    reader = f"u{user.pk}{'s' if user.is_superuser else ''}"
    address = hashlib.blake2b(path.encode(), digest_size=12).hexdigest()
    version = overview_version()
    key = (f"overview-body:{reader}:{'list' if partial else 'page'}:{address}:"
           f"{version.key}:{timezone.localdate().isoformat()}")
    built: dict[str, Any] = {}

    def build() -> Fragment:
        built.update(overview(user=user, query=query, registry=version.registry))
        if partial:
            return Fragment(built["results_html"])
        return Fragment(render_to_string(BODY_TEMPLATE, {**built, "page_path": path}))

    return cached_fragment(key, build, seconds=BODY_SECONDS).html, built


def _choices_key(data: dict[str, Any]) -> str:
    """What the filter form offers besides the run's values: the user's municipalities and the
    finished runs covering the chosen one (a digest, so the key stays short)."""
    text = ",".join(str(m.pk) for m in data["municipalities"]) + "|" + ",".join(
        f"{r.pk}@{r.finished_at.isoformat() if r.finished_at else ''}" for r in data["runs"])
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def overview_rows(*, user: Any, query: OverviewQuery) -> dict[str, Any]:
    """The overview's rows computed afresh (the XLSX export): scope, then ``_derived``."""
    data = _scope(user, query)
    if data["run"] is not None:
        data.update(_derived(data["run"], data["municipality"], query))
    return data


def _sort_links(query: OverviewQuery) -> dict[str, str]:
    """Sorting starts again from the first page."""
    return {key: query.params(sort=("-" + key) if query.sort == key else key, page=None)
            for key in SORTS}


def _paged(rows: list[SchoolRow], query: OverviewQuery) -> dict[str, Any]:
    """The rows of the page asked for (the last one if it asks beyond) and the links to the
    others: ``page_rows``, ``pages`` (number, its query string, whether it is the current one),
    ``first_shown`` and ``last_shown`` (1-based, for «школы 51–100 из 238»)."""
    count = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(query.page or 1, count)
    start = (page - 1) * PAGE_SIZE
    shown = rows[start:start + PAGE_SIZE]
    pages = ([(n, query.params(page=n if n > 1 else None), n == page)
              for n in range(1, count + 1)] if count > 1 else [])
    return {"page_rows": shown, "pages": pages, "first_shown": start + 1 if shown else 0,
            "last_shown": start + len(shown)}


def _cache_key(run: AnalysisRun, municipality: Municipality, query: OverviewQuery,
               registry: int) -> str:
    """A finished run never changes, so its overview for given filters can be reused.

    The key names the run (with its finish time: a test database may reuse a primary key), the
    municipality, every filter and the registry's version (the rows show the schools' names: a
    school renamed shows at once); the scope check runs before.
    """
    finished = run.finished_at.isoformat() if run.finished_at else ""
    filters = query.params(municipality=None, run=None)
    return f"overview:{run.pk}:{finished}:{municipality.pk}:{filters}:r{registry}"


def _derived(run: AnalysisRun, municipality: Municipality,
             query: OverviewQuery) -> dict[str, Any]:
    """Everything the overview shows that follows from the run, the municipality and filters."""
    years = run_years(run)
    year = query.year if query.year in years else (years[-1] if years else None)
    schools = list(School.objects.filter(municipality=municipality)
                   .order_by("number", "short_name"))
    rows = {s.pk: SchoolRow(s, run_id=run.pk) for s in schools}
    flags = list(RunFlag.objects.filter(run=run, school__municipality=municipality)
                 .values_list("school_id", "flag", "year", "evidence"))
    for school_id, code, flag_year, evidence in flags:
        if query.year is None or flag_year == query.year:
            rows[school_id].flags[code].append((flag_year, evidence))
    stats = _stats(run, municipality, query, year)
    _measures(rows, stats)
    cells = list(RunSchoolStat.objects.filter(run=run).order_by()
                 .values_list("procedure", "subject").distinct())
    return dict(
        year=year, years=years, counts=_counts(rows.values()),
        rows=_sorted(_filtered(rows.values(), query), query.sort),
        microdistricts=sorted({s.microdistrict for s in schools if s.microdistrict}),
        flag_options=[(code, flag_label(code)) for code in FLAG_ORDER],
        procedures=sorted({(p, procedure_name(p)) for p, _ in cells}),
        subjects=sorted({(s, subject_name(s)) for _, s in cells}, key=lambda x: x[1]),
        typology=_typology(run, municipality, flags, year, schools),
        funnel=_funnel(stats, schools),
    )


def _stats(run: AnalysisRun, municipality: Municipality, query: OverviewQuery,
           year: int | None) -> list[Mapping[str, Any]]:
    # year=None (a run without years) is IS NULL, no rows; the plugin wants a number
    rows = RunSchoolStat.objects.filter(run=run, school__municipality=municipality,
                                        year=year)  # type: ignore[misc]
    if query.procedure:
        rows = rows.filter(procedure=query.procedure)
    if query.subject:
        rows = rows.filter(subject=query.subject)
    if query.grade:
        rows = rows.filter(grade=query.grade)
    return list(rows.order_by().values("school_id", "procedure", "subject", "grade", "year",
                                       "participants", "mean_pct", "gap_pct", "region_sd_pct"))


def _measures(rows: dict[int, SchoolRow], stats: list[Mapping[str, Any]]) -> None:
    """Participant-weighted mean result and gap over the cells shown, per school."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for stat in stats:
        n = stat["participants"] or 0
        total = sums[stat["school_id"]]
        total[0] += n
        if stat["mean_pct"] is not None:
            total[1] += n * stat["mean_pct"]
            total[2] += n
        if stat["gap_pct"] is not None:
            total[3] += n * stat["gap_pct"]
    for school_id, (n, mean_sum, weighted, gap_sum) in sums.items():
        row = rows[school_id]
        row.participants = int(n)
        if weighted:
            row.mean_pct, row.gap_pct = mean_sum / weighted, gap_sum / weighted


def _has(flags: Any, code: str) -> bool:
    """Whether a school with these flag codes counts as ``code``: ШНОР by either rule (below the
    region, the share of «2») or persistently low counts as ШНОР (issue 12: one school, one ШНОР;
    ``glossary.LOW_RESULTS_FLAGS``)."""
    return bool(LOW_RESULTS_FLAGS & flags) if code == LOW_RESULTS.code else code in flags


def _counts(rows: Any) -> list[dict[str, Any]]:
    """Schools (not flags) of each counted category in the shown year."""
    needs = {term.code: term.members for term in COUNTED}
    numbers = dict.fromkeys(needs, 0)
    for row in rows:
        flags = row.flags.keys()
        for code, members in needs.items():
            numbers[code] += all(_has(flags, m) for m in members)
    return [{"code": code, "label": label, "value": numbers[code]} for code, label in COUNTS]


def _filtered(rows: Any, query: OverviewQuery) -> list[SchoolRow]:
    kept = []
    for row in rows:
        if query.flag and not _has(row.flags.keys(), query.flag):
            continue
        if query.microdistrict and row.school.microdistrict != query.microdistrict:
            continue
        if (query.procedure or query.subject or query.grade) and not row.participants:
            continue
        kept.append(row)
    return kept


def _sorted(rows: list[SchoolRow], sort: str) -> list[SchoolRow]:
    key = sort.lstrip("-")
    by_name = sorted(rows, key=lambda r: (natural_key(r.school.short_name), r.school.pk))
    if key == "name":
        return by_name[::-1] if sort.startswith("-") else by_name
    values = {"number": lambda r: r.school.number, "flags": lambda r: len(r.flags),
              "participants": lambda r: r.participants, "mean": lambda r: r.mean_pct,
              "gap": lambda r: r.gap_pct}[key]
    present = [r for r in by_name if values(r) is not None]
    missing = [r for r in by_name if values(r) is None]
    return sorted(present, key=values, reverse=sort.startswith("-")) + missing


def _typology(run: AnalysisRun, municipality: Municipality, flags: list[tuple[Any, ...]],
              year: int | None, schools: list[School]) -> str | None:
    if year is None:
        return None
    keys = {s.pk: s.key for s in schools}
    context = RunContext.objects.filter(run=run, school__municipality=municipality, year=year)
    context_rows = [{"school_key": keys[c.school_id], "year": c.year,
                     "context_index": c.context_index, "result_gap_pct": c.result_gap_pct}
                    for c in context]
    flag_rows = [{"school_key": keys[sid], "year": fy, "flag": code}
                 for sid, code, fy, _ in flags]
    points = typology_gap_points(context_rows, flag_rows, year=year,
                                 names={s.key: s.short_name for s in schools})
    if not points:
        return None
    spec = typology_chart(points, title=f"Контекст и результат, {year}", y_rule=0,
                          y_title="Разница с регионом, п. п.")
    return spec_json(spec)


def _funnel(stats: list[Mapping[str, Any]], schools: list[School]) -> dict[str, Any] | None:
    """The funnel of the cell shown with the most schools (procedure × subject × grade)."""
    keys = {s.pk: s.key for s in schools}
    by_cell: dict[tuple[str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for stat in stats:
        if stat["region_sd_pct"] is not None and stat["gap_pct"] is not None:
            by_cell[(stat["procedure"], stat["subject"], stat["grade"])].append(
                {**stat, "school_key": keys[stat["school_id"]]})
    if not by_cell:
        return None
    cell = max(sorted(by_cell), key=lambda c: len(by_cell[c]))
    rows = by_cell[cell]
    sd = rows[0]["region_sd_pct"]
    title = (f"{procedure_name(cell[0])}, {subject_name(cell[1]).lower()}, {cell[2]} класс, "
             f"{rows[0]['year']}")
    spec = funnel_chart(rows, title=f"Воронка: {title}", sd=sd,
                        names={s.key: s.short_name for s in schools})
    return {"title": title, "spec": spec_json(spec)}


def flag_evidence(*, user: Any, run_id: int, school_id: int, flag: str = "",
                  year: int | None = None) -> dict[str, Any]:
    """The evidence of one school's flags in one run, as a flag of the overview opens it.

    The same scope as the overview: the school must be in a municipality the user may analyse
    (404 otherwise, its existence not disclosed) and the run a finished one covering that
    municipality. ``flag`` and ``year`` narrow the list; three queries whatever the sizes.
    """
    municipalities = Viewer.of(user).require_municipalities()
    school = School.objects.filter(pk=school_id,
                                   municipality__in=[m.pk for m in municipalities]).first()
    if school is None:
        raise Http404("Школа не найдена или недоступна")
    run = (runs_covering([m for m in municipalities if m.pk == school.municipality_id])
           .filter(status=DONE, pk=run_id).first())
    if run is None:
        raise Http404("Расчёт не найден или недоступен")
    flags = RunFlag.objects.filter(run=run, school=school)
    if flag:
        flags = flags.filter(flag=flag[:32])
    if year is not None:
        flags = flags.filter(year=year)
    items: list[dict[str, Any]]
    items = sorted(({"flag": code, "label": flag_label(code), "year": flag_year,
                     "evidence": evidence}
                    for code, flag_year, evidence in flags.values_list("flag", "year", "evidence")),
                   key=lambda item: (flag_rank(item["flag"]), -item["year"]))
    return {"school": school, "run": run, "items": items}


def export_rows(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The filtered list as ``flags.csv`` rows and per-school measures for the XLSX.

    A workbook row is a school with at least one flag: ``flags_to_xlsx`` groups flag rows.
    """
    rows, measures = [], {}
    for row in data["rows"]:
        school = row.school
        for item in row.flag_items:
            rows.append({"school_key": school.key, "school_name": school.short_name,
                         "municipality": data["municipality"].name, "flag": item["flag"],
                         "year": item["year"], "evidence": item["evidence"]})
        measures[school.key] = {k: v for k, v in (
            ("participants", row.participants or None), ("mean_pct", row.mean_pct),
            ("gap_pct", row.gap_pct)) if v is not None}
    return rows, measures

