"""A country's analysis run stored in PostgreSQL, and a region's pages while it is stored (issue 18).

    .venv/bin/python bench/bench_country_store.py [--analysis DIR] [--region NAME]
                                                  [--clients 50] [--seconds 10] [--repeat 1]
                                                  [--workers 5] [--keep | --reuse]

What it does:

1. creates a PostgreSQL database ``opora_bench_country`` (127.0.0.1:5432, user postgres; dropped
   at the end unless ``--keep``) and loads, with :func:`opora.web.imports.services.load_tables`
   (as ``opora manage import`` does), the country's registry (``schools.parquet`` of
   ``--data``: 85 regions, 1 292 municipalities, 40 005 schools) together with **one region's**
   data (``--region``, by default the region of median size): its schools' results, totals,
   context, markers, official lists, and the reference values of that region. The country's
   82.5 M results are not loaded: the web cannot run a country anyway (a run covers a region or a
   municipality), and this bench is about storing the engine's outputs. Then one region-wide
   run of that region is executed as the worker does (export → engine → store), and a regional
   coordinator (the region) and a coordinator (its largest municipality) are created;
2. reads the country's engine outputs as ``opora analyze`` wrote them (``--analysis``:
   ``school_stats.parquet``, ``flags.csv``, ``context.parquet``, ``objectivity.parquet``,
   ``pairs.csv``, ``unpaired.csv``; the CSV read back with the declared types and the
   apostrophe of :mod:`opora.csv_safety` taken off), and stores them as one
   :class:`~opora.web.analysis.models.AnalysisRun` exactly as the worker's store stage does
   (:mod:`opora.web.analysis.execution`: one transaction holding the run's row, ``load_outputs``,
   ``load_unpaired``, the run marked done), on an idle site: wall time, the stages (building the
   columns, writing, the commit), CPU of the Python process and of its PostgreSQL backend
   (``/proc``), rows per table, and ``pg_total_relation_size`` of every ``Run*`` table before
   and after. The country run is attached to another region than the pages' (there is no
   country scope), so the pages never show it;
3. serves the site as :mod:`bench_web_load` does (gunicorn ``--workers`` sync processes, Redis
   db 14, ``DEBUG`` off) and measures with ``wrk`` (``--clients`` connections, ``--seconds``
   each) the regional overview, the coordinator's overview and three school cards, each paired
   with the sign-in page measured just before it (:func:`bench_web_load.measure_paired`) —
   first with nothing else running, then while country runs are stored again and again by a
   background process (each store a new run), then once more without. The report gives each
   page's p95 / sign-in p95 in the three phases, and how much of the measuring time a store
   was in progress.

Results: stdout and ``bench/out/country_store.md``. The figures that matter are the ratios
(target: each page ≤ 6× sign-in p95 while a country run is stored); seconds depend on the machine
and its load (printed beside every figure).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_web_load as web  # the page harness: serving, signing in, wrk, pairing

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "country_store.md"
DB_NAME = "opora_bench_country"
SAVED_SETUP = REPO / "bench" / "out" / "country_store_setup.json"
DATA = Path("/work/data/country")
ANALYSIS = Path("/work/data/country-analysis-before")

# Child: the registry and one region's data, the region's run, the two users; JSON on the last line.
_SETUP = r"""
import json, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
import duckdb
import pyarrow.parquet as pq
from opora.schemas import TABLES
data, region_name, password = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
timings = {}
start = time.perf_counter()
call_command("migrate", interactive=False, verbosity=0)
timings["migrate"] = time.perf_counter() - start
start = time.perf_counter()
db = duckdb.connect()
db.execute("SET threads TO 2")
keys = db.execute(f"SELECT school_key FROM '{data}/schools.parquet' WHERE region = ?",
                  [region_name]).to_arrow_table()
db.register("region_keys", keys)
tables = {}
for name in TABLES:
    path = data / f"{name}.parquet"
    if name == "truth" or not path.exists():
        continue
    columns = pq.read_schema(path).names
    if name == "schools":  # the registry: the whole country
        tables[name] = pq.read_table(path)
    elif "school_key" in columns:
        tables[name] = db.execute(f"SELECT * FROM '{path}' WHERE school_key IN "
                                  "(SELECT school_key FROM region_keys)").to_arrow_table()
    elif "region" in columns:
        tables[name] = db.execute(f"SELECT * FROM '{path}' WHERE region = ?",
                                  [region_name]).to_arrow_table()
    else:
        tables[name] = pq.read_table(path)
timings["read"] = time.perf_counter() - start
from opora.web.imports.services import load_tables
start = time.perf_counter()
outcome = load_tables(tables=tables, name="bench country registry + one region")
assert outcome.ok, outcome.summary()
timings["load"] = time.perf_counter() - start
from django.contrib.auth import get_user_model
from django.db.models import Count
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.execution import run_execute
from opora.web.analysis.services import run_start
from opora.web.schools.models import Municipality, Region, School
region = Region.objects.get(name=region_name)
other = Region.objects.exclude(pk=region.pk).order_by("name").first()
town = (Municipality.objects.filter(region=region).annotate(n=Count("schools"))
        .order_by("-n", "name").first())
admin = get_user_model().objects.create_superuser("bench-admin", "", password)
regional = user_create(username="bench-regional", password=password)
role_assign(user=regional, role=roles.REGIONAL, region=region)
coordinator = user_create(username="bench-coordinator", password=password)
role_assign(user=coordinator, role=roles.COORDINATOR, municipality=town)
start = time.perf_counter()
run = run_start(user=admin, region=region)
run = run_execute(run_id=run.pk)
timings["analysis"] = time.perf_counter() - start
assert run.status == "done", run.message
print(json.dumps({
    "timings": {k: round(v, 1) for k, v in timings.items()},
    "rows": {n: t.num_rows for n, t in tables.items()},
    "schools": School.objects.count(), "municipalities": Municipality.objects.count(),
    "regions": Region.objects.count(), "region": region.pk, "region_name": region.name,
    "region_schools": School.objects.filter(municipality__region=region).count(),
    "other_region": other.pk, "other_region_name": other.name,
    "town": town.pk, "town_name": town.name,
    "town_schools": list(School.objects.filter(municipality=town).order_by("pk")
                         .values_list("pk", flat=True)),
    "run": run.pk, "run_timings": run.timings, "run_counts": run.counts,
}))
"""

# Child: stores the country's outputs as new runs of region argv[2], as the worker's store stage
# does; argv[3] "once" or the path of a file whose existence stops the loop. One JSON line per
# store (and "ready" once the outputs are in memory).
_STORE = r"""
import json, os, sys, time
from pathlib import Path
import django
django.setup()
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import connection, transaction
from django.utils import timezone
from opora.csv_safety import restore
from opora.schemas import OUTPUTS, conform
from opora.web.analysis import loading
from opora.web.analysis.models import (DONE, RUNNING, AnalysisRun, RunContext, RunFlag,
                                       RunObjectivity, RunPair, RunSchoolStat, RunUnpaired)
from opora.web.analysis.unpaired import load_unpaired

analysis, region_id, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
MODELS = (RunFlag, RunSchoolStat, RunContext, RunObjectivity, RunPair, RunUnpaired)


def read_output(name):
    spec = OUTPUTS[name]
    path = analysis / spec.filename
    if path.suffix == ".parquet":
        return conform(pq.read_table(path), spec)
    types = {c.name: c.type for c in spec.columns}
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False))
    columns = []
    for c in spec.columns:
        column = table.column(c.name)
        if pa.types.is_string(c.type):  # the apostrophe csv_safety put before a formula
            column = pa.array([None if v is None else restore(v) for v in column.to_pylist()],
                              type=c.type)
        columns.append(column)
    return conform(pa.Table.from_arrays(columns, names=[c.name for c in spec.columns]), spec)


def sizes():
    with connection.cursor() as c:
        c.execute("SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
                  [[m._meta.db_table for m in MODELS]])
        return dict(c.fetchall())


def backend_cpu(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


start = time.perf_counter()
outputs = {name: read_output(name) for name in OUTPUTS}
print(json.dumps({"ready": round(time.perf_counter() - start, 1),
                  "rows_in": {n: t.num_rows for n, t in outputs.items()}}), flush=True)
with connection.cursor() as c:
    c.execute("SELECT pg_backend_pid()")
    pid = c.fetchone()[0]
stop = None if mode == "once" else Path(mode)
while True:
    before = sizes()
    now = timezone.now()
    run = AnalysisRun.objects.create(scope="region", region_id=region_id, status=RUNNING,
                                     stage="load", started_at=now, updated_at=now,
                                     message="bench: the country's outputs")
    stages = {}
    began, cpu, pg = time.time(), time.process_time(), backend_cpu(pid)
    wall = time.perf_counter()
    with transaction.atomic():  # as execution._execute: results and «done» together
        AnalysisRun.objects.select_for_update().filter(pk=run.pk).values_list("status").get()
        counts = loading.load_outputs(run, outputs, timings=stages)
        at = time.perf_counter()
        counts["unpaired"] = load_unpaired(run, outputs["unpaired"])
        stages["unpaired"] = time.perf_counter() - at
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=DONE, stage="", progress=100, finished_at=timezone.now(), counts=counts,
            run_json={"years_analysed": [2023, 2024, 2025]})
        committing = time.perf_counter()
    stages["commit"] = time.perf_counter() - committing
    wall = time.perf_counter() - wall
    after = sizes()
    print(json.dumps({
        "run": run.pk, "began": began, "ended": time.time(), "wall": wall,
        "stages": stages, "python_cpu": time.process_time() - cpu,
        "postgres_cpu": backend_cpu(pid) - pg,
        "counts": {k: v for k, v in counts.items() if k != "unknown_schools"},
        "unknown_schools": len(counts.get("unknown_schools", [])),
        "before": before, "after": after, "load": os.getloadavg()[0]}), flush=True)
    if stop is None or stop.exists():
        break
"""

# Child: deletes run argv[1] as Django does (cascading to its rows), then VACUUMs the Run* tables;
# their sizes before, after the delete and after VACUUM.
_DELETE = r"""
import json, sys, time
import django
django.setup()
from django.db import connection
from opora.web.analysis.models import (AnalysisRun, RunContext, RunFlag, RunObjectivity,
                                       RunPair, RunSchoolStat, RunUnpaired)
tables = [m._meta.db_table for m in (RunFlag, RunSchoolStat, RunContext, RunObjectivity,
                                     RunPair, RunUnpaired)]
def size():
    with connection.cursor() as c:
        c.execute("SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relname = ANY(%s)",
                  [tables])
        return int(c.fetchone()[0])
out = {"before": size()}
start = time.perf_counter()
AnalysisRun.objects.filter(pk=int(sys.argv[1])).delete()
out["delete"] = time.perf_counter() - start
out["after_delete"] = size()
start = time.perf_counter()
with connection.cursor() as c:
    for table in tables:
        c.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
out["vacuum"] = time.perf_counter() - start
out["after_vacuum"] = size()
print(json.dumps(out))
"""

TABLES = (("runflag", "флаги"), ("runschoolstat", "ячейки школ"), ("runcontext", "контекст"),
          ("runobjectivity", "признаки необъективности (длинная форма)"), ("runpair", "пары"),
          ("rununpaired", "без пары"))
COUNTS = {"runflag": "flags", "runschoolstat": "school_stats", "runcontext": "context",
          "runobjectivity": "objectivity", "runpair": "pairs", "rununpaired": "unpaired"}


def _region(data: Path) -> str:
    """The region of median size (by schools) of the data set."""
    import duckdb

    counts = duckdb.connect().execute(f"SELECT region, count(*) AS n FROM "
                                      f"'{data}/schools.parquet' GROUP BY region "
                                      "ORDER BY n, region").fetchall()
    return str(counts[len(counts) // 2][0])


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    web._psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    web._psql(f"CREATE DATABASE {DB_NAME}")
    region = args.region or _region(args.data)
    print(f"loading the registry and «{region}»…", flush=True)
    done = subprocess.run([sys.executable, "-c", _SETUP, str(args.data), region, web.PASSWORD],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit("the setup failed:\n" + done.stderr[-3000:])
    setup = web._last_json(done.stdout)
    assert isinstance(setup, dict)
    print(f"setup: {setup['timings']}, {setup['schools']} schools, the region's run "
          f"{setup['run_timings']}", flush=True)
    if args.keep:
        SAVED_SETUP.parent.mkdir(parents=True, exist_ok=True)
        SAVED_SETUP.write_text(json.dumps(setup), encoding="utf-8")
    return setup


def _store_once(args: argparse.Namespace, setup: dict[str, object],
                env: dict[str, str]) -> dict[str, object]:
    """One country run stored on an idle site (the server is up, nothing requests it)."""
    done = subprocess.run([sys.executable, "-c", _STORE, str(args.analysis),
                           str(setup["other_region"]), "once"], env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit("storing failed:\n" + done.stderr[-3000:])
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    result = dict(lines[-1])
    result["read"] = lines[0]["ready"]
    result["rows_in"] = lines[0]["rows_in"]
    print(f"stored once: {result['wall']:.1f} s, {result['stages']}", flush=True)
    return result


def _pages(setup: dict[str, object]) -> list[tuple[str, str, str]]:
    cards = setup["town_schools"]
    assert isinstance(cards, list)
    picked = [cards[0], cards[len(cards) // 2], cards[-1]]
    return [("обзор — региональный координатор", "bench-regional",
             f"/analysis/?municipality={setup['town']}"),
            ("обзор — координатор", "bench-coordinator", "/analysis/"),
            *[(f"карточка школы {i} — координатор", "bench-coordinator", f"/schools/{pk}/")
              for i, pk in enumerate(picked, start=1)]]


def _while_storing(args: argparse.Namespace, port: int, setup: dict[str, object], tmp: Path,
                   env: dict[str, str], cookies: dict[str, str]
                   ) -> tuple[list[tuple[str, dict[str, float], dict[str, float]]],
                              list[dict[str, object]], float, float]:
    """The pages measured while a background process stores country runs one after another:
    the rows, the stores, and the measuring window (epoch seconds)."""
    stop = tmp / "stop-storing"
    log = tmp / "stores.jsonl"
    with log.open("w") as out:
        storer = subprocess.Popen([sys.executable, "-c", _STORE, str(args.analysis),
                                   str(setup["other_region"]), str(stop)], env=env,
                                  stdout=out, stderr=subprocess.PIPE, text=True)
    try:
        while not log.read_text().strip():  # the outputs read into memory: the stores begin
            if storer.poll() is not None:
                raise SystemExit("the storing process stopped:\n" + (storer.stderr.read()
                                                                     if storer.stderr else ""))
            time.sleep(0.5)
        time.sleep(2)  # into the first store's column building
        began = time.time()
        rows = web.measure_paired(port, _pages(setup), cookies, args.clients, args.seconds, tmp,
                                  args.repeat)
        ended = time.time()
    finally:
        stop.touch()
        _, err = storer.communicate(timeout=1800)
    if storer.returncode:
        raise SystemExit("the storing process failed:\n" + err[-3000:])
    stores = [json.loads(x) for x in log.read_text().splitlines()[1:] if x.startswith("{")]
    return rows, stores, began, ended


def _covered(stores: list[dict[str, object]], began: float, ended: float) -> float:
    """The share of [began, ended] during which a store was in progress."""
    busy = 0.0
    for s in stores:
        start, end = float(s["began"]), float(s["ended"])  # type: ignore[arg-type]
        busy += max(0.0, min(end, ended) - max(start, began))
    return busy / (ended - began) if ended > began else 0.0


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f}".replace(",", " ")


def _store_lines(once: dict[str, object]) -> list[str]:
    before, after = once["before"], once["after"]
    counts = once["counts"]
    assert isinstance(before, dict) and isinstance(after, dict) and isinstance(counts, dict)
    lines = ["| таблица | строк одного расчёта | размер до, МБ | после, МБ | на расчёт, МБ | "
             "байт на строку |", "|---|---:|---:|---:|---:|---:|"]
    total_rows = total = 0
    for table, label in TABLES:
        name = f"analysis_{table}"
        rows = int(counts.get(COUNTS[table], 0))
        grown = after.get(name, 0) - before.get(name, 0)
        total_rows, total = total_rows + rows, total + grown
        lines.append(f"| {label} (`{name}`) | {rows:,} | {_mb(before.get(name, 0))} | "
                     f"{_mb(after.get(name, 0))} | {_mb(grown)} | "
                     f"{grown / rows if rows else 0:.0f} |".replace(",", " "))
    lines.append(f"| всего | {total_rows:,} | | | {_mb(total)} | "
                 f"{total / total_rows if total_rows else 0:.0f} |".replace(",", " "))
    return lines


def _phase_table(phases: list[tuple[str, list[tuple[str, dict[str, float], dict[str, float]]]]]
                 ) -> list[str]:
    labels = [label for label, _, _ in phases[0][1]]
    head = " | ".join(f"{name}: p95, мс / вход, мс / отношение" for name, _ in phases)
    lines = [f"| страница | {head} |", "|---|" + "---:|" * len(phases)]
    for label in labels:
        cells = []
        for _, rows in phases:
            _, r, base = next(x for x in rows if x[0] == label)
            cells.append(f"{r['p95']:.0f} / {base['p95']:.0f} / **{r['p95'] / base['p95']:.1f}**"
                         + (f" ({r['errors']:.0f} ошибок)" if r["errors"] else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _warm(port: int, pages: list[tuple[str, str, str]], cookies: dict[str, str]) -> None:
    """One request of every page before wrk builds its cached part, as the first visitor's does
    (as :mod:`bench_web_load` does for the overview); a page that fails stops the bench."""
    import http.client

    for label, user, path in pages:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", path, headers={"Cookie": cookies[user]})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            raise SystemExit(f"{label} ({path}): HTTP {answer.status}")


def _measure(args: argparse.Namespace, port: int, setup: dict[str, object], tmp: Path,
             env: dict[str, str]) -> str:
    # a kept database may predate a migration of the code being measured
    subprocess.run([sys.executable, "-m", "opora.cli", "manage", "migrate", "--no-input"],
                   env=env, check=True, capture_output=True)
    loads = {"start": os.getloadavg()}
    once = _store_once(args, setup, env)
    loads["after the store"] = os.getloadavg()
    cookies = {user: web.sign_in(port, user) for user in ("bench-regional", "bench-coordinator")}
    _warm(port, _pages(setup), cookies)
    quiet = web.measure_paired(port, _pages(setup), cookies, args.clients, args.seconds, tmp,
                               args.repeat)
    loads["after pages, quiet"] = os.getloadavg()
    storing, stores, began, ended = _while_storing(args, port, setup, tmp, env, cookies)
    loads["after pages while storing"] = os.getloadavg()
    again = web.measure_paired(port, _pages(setup), cookies, args.clients, args.seconds, tmp,
                               args.repeat)
    loads["end"] = os.getloadavg()
    removed = web._last_json(subprocess.run(
        [sys.executable, "-c", _DELETE, str(once["run"])], env=env, check=True,
        capture_output=True, text=True).stdout)
    assert isinstance(removed, dict)
    loads["after deleting"] = os.getloadavg()
    stages = once["stages"]
    assert isinstance(stages, dict)
    worst = max(r["p95"] / base["p95"] for _, r, base in storing)
    load_text = "; ".join(f"{k} {v[0]:.1f}" for k, v in loads.items())
    store_walls = ", ".join(f"{float(s['wall']):.0f}" for s in stores)  # type: ignore[arg-type]
    lines = [
        f"Реестр страны: {setup['regions']} регионов, {setup['municipalities']} муниципалитетов, "
        f"{setup['schools']} школ; данные одного региона — «{setup['region_name']}» "
        f"({setup['region_schools']} школ; строк: {setup['rows']}); подготовка, с: "
        f"{setup['timings']}; расчёт региона через веб, этапы, с: {setup['run_timings']}. "
        f"{os.cpu_count()} ядра; средняя загрузка (loadavg, 1 мин): {load_text}.",
        "",
        f"**Сохранение расчёта страны** (выходы `{args.analysis}`, прочитаны за "
        f"{once['read']} с; один расчёт, сайт без запросов): {float(once['wall']):.1f} с "  # type: ignore[arg-type]
        f"(загрузка машины при этом {float(once['load']):.1f}); этапы, с: "  # type: ignore[arg-type]
        + ", ".join(f"{k} {float(v):.1f}" for k, v in stages.items())
        + f". Процессор: Python {float(once['python_cpu']):.1f} с, "  # type: ignore[arg-type]
        f"PostgreSQL (его процесс этого соединения) {float(once['postgres_cpu']):.1f} с. "  # type: ignore[arg-type]
        f"Школ, которых нет в реестре: {once['unknown_schools']}.",
        "", *_store_lines(once), "",
        f"Удаление одного расчёта страны (как его удаляет Django, с его строками): "
        f"{removed['delete']:.1f} с; таблицы `Run*` до — {_mb(removed['before'])} МБ, после "
        f"удаления — {_mb(removed['after_delete'])} МБ; `VACUUM (ANALYZE)` этих таблиц — "
        f"{removed['vacuum']:.1f} с, после него — {_mb(removed['after_vacuum'])} МБ (место "
        f"остаётся за таблицами и занимается следующими расчётами).", "",
        f"**Страницы региона** (gunicorn, процессов: {args.workers}; общий Redis; wrk: "
        f"{args.clients} соединений, {args.seconds} с на страницу, кругов: {args.repeat}; "
        f"каждая — в паре со входом, измеренным прямо перед ней). Во время сохранения "
        f"сохранено расчётов страны: {len(stores)} (по {store_walls} с); сохранение шло "
        f"{_covered(stores, began, ended) * 100:.0f} % времени замера. Худшее отношение во "
        f"время сохранения: {worst:.1f} (цель — не больше 6).",
        "", *_phase_table([("без сохранения", quiet), ("во время сохранения", storing),
                           ("снова без", again)]),
        "", "Подробно во время сохранения:", "", *web.paired_table(storing),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the generated country (registry and the region's data)")
    parser.add_argument("--analysis", type=Path, default=ANALYSIS,
                        help="`opora analyze` outputs of the same data")
    parser.add_argument("--region", default="", help="the region whose pages are measured")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME}")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    if not (args.analysis / "objectivity.parquet").exists():
        raise SystemExit(f"no engine outputs in {args.analysis}: run `opora analyze "
                         f"{args.data} --out {args.analysis}` first")
    return web.serve_and_report(
        database=DB_NAME, out=OUT, saved_setup=SAVED_SETUP, prefix="opora-bench-country-",
        cache="redis", workers=args.workers, keep=args.keep, reuse=args.reuse,
        prepare=lambda tmp, env: _prepare(args, env),
        measure=lambda port, setup, tmp, env: _measure(args, port, setup, tmp, env))


if __name__ == "__main__":
    raise SystemExit(main())
