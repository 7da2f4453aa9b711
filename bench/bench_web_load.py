"""The overview and the school card under 50 concurrent clients, on PostgreSQL, with gunicorn.

    .venv/bin/pip install -e '.[server]'          # gunicorn and the Redis client, as deployed
    apt-get install wrk                           # the load tool (Debian package)
    .venv/bin/python bench/bench_web_load.py [--clients 50] [--seconds 30] [--workers 5]
                                             [--cache redis|memory] [--keep | --reuse]

What it does (issue 4, «Benchmark»):

1. generates a region (``opora generate --scale region --years 3``: ~950 schools, ~2.1 million
   participants' results) and loads it into a fresh PostgreSQL database ``opora_bench`` on
   127.0.0.1:5432 (user postgres), which it creates and, unless ``--keep``, drops at the end;
2. runs one region-wide analysis (export → engine → load, as the background task does) and creates
   a regional coordinator (the whole region) and a municipal coordinator (the largest municipality);
3. starts the site with gunicorn (``--workers`` sync processes, default 2 × cores + 1 as gunicorn's
   documentation advises) with ``DEBUG`` off, persistent database connections and the shared
   Redis cache on 127.0.0.1:6379 (database 14, emptied first), as deployed (docs/operations.md);
   ``--cache memory`` measures each process with its own cache instead;
4. signs both users in through the real sign-in form and lets ``wrk`` (C, on 127.0.0.1) hold
   ``--clients`` connections for ``--seconds`` on each page: the overview, school cards
   (cycling through every school the user may see) — each right after the sign-in page (the
   **baseline**: a template, no database) measured the same way, so each page's ratio is to its
   own neighbour while the machine's load moves — reporting p50, p95 latency, throughput and
   errors (non-2xx or socket errors).
   Before wrk, one request of each overview builds its cached part, as the first visitor's
   does (its time is reported apart); ``--cold-overview`` skips it, so that all processes
   build the part at once under 50 clients. The overview's second page is measured too.
   Cards are measured three ways: **first visits after the run** (every card once,
   ``--clients`` Python threads; with the shared Redis the cards were rendered ahead by
   ``opora manage warm_cards``, which the worker runs when a run finishes), **first visits with
   an empty cache** (Redis flushed, as after its restart: the cost of rendering a card) and
   **repeat visits** (``wrk``, the parts rendered once are reused: a coordinator's working day).
   First visits use a Python client, not ``wrk`` (it shares the cores too), so the same cards
   are also visited once more with it: that row, not wrk's, is what first visits compare to;
5. profiles one request of each page in-process (Django test client): SQL queries, their total
   time, and the wall time of the request, so the figures say where the time goes.

Results: stdout and ``bench/out/web_load.md``. The figures that matter are the ratios to the
baseline measured in the same run; absolute milliseconds depend on the machine. With a closed
loop of N clients, latency ≈ N / throughput (Little's law): p95 under 200 ms at 50 clients needs
about 250 pages per second.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "web_load.md"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "opora_bench"
PASSWORD = "bench-password-1"
SAVED_SETUP = REPO / "bench" / "out" / "web_load_setup.json"  # with --keep, for --reuse

# Runs in a child process with Django configured for the bench database: migrate, load, analyse,
# create the two users; prints what the load phase needs as JSON on the last line.
_SETUP = r"""
import json, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
timings = {}
start = time.perf_counter()
call_command("migrate", interactive=False, verbosity=0)
timings["migrate"] = time.perf_counter() - start
import pyarrow.parquet as pq
from opora.schemas import TABLES
from opora.web.imports.services import load_tables
data = Path(sys.argv[1])
tables = {n: pq.read_table(data / f"{n}.parquet") for n in TABLES if (data / f"{n}.parquet").exists()}
start = time.perf_counter()
outcome = load_tables(tables=tables, name="bench region")
assert outcome.ok, outcome.summary()
timings["load"] = time.perf_counter() - start
from django.contrib.auth import get_user_model
from django.db.models import Count
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.models import AnalysisRun
from opora.web.analysis.execution import run_execute
from opora.web.analysis.services import run_start
from opora.web.schools.models import Municipality, Region, School
region = Region.objects.get()
town = Municipality.objects.annotate(n=Count("schools")).order_by("-n", "name").first()
admin = get_user_model().objects.create_superuser("bench-admin", "", sys.argv[2])
regional = user_create(username="bench-regional", password=sys.argv[2])
role_assign(user=regional, role=roles.REGIONAL, region=region)
coordinator = user_create(username="bench-coordinator", password=sys.argv[2])
role_assign(user=coordinator, role=roles.COORDINATOR, municipality=town)
start = time.perf_counter()
run = run_start(user=admin, region=region)  # queued for a worker; executed right here instead
run = run_execute(run_id=run.pk)
timings["analysis"] = time.perf_counter() - start
run.refresh_from_db()
assert run.status == "done", run.message
print(json.dumps({
    "timings": {k: round(v, 1) for k, v in timings.items()},
    "schools": School.objects.count(), "municipalities": Municipality.objects.count(),
    "town": town.pk, "town_name": town.name,
    "town_schools": list(School.objects.filter(municipality=town).values_list("pk", flat=True)),
    "region_schools": list(School.objects.values_list("pk", flat=True)),
    "run": run.pk, "flags": run.counts,
}))
"""

# Profiles one request per page in-process: queries, their time, wall time (median of 5).
_PROFILE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
pages = json.loads(sys.argv[1])
out = []
for label, username, path in pages:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(path)  # warm caches (templates, connection)
    walls, counts, sql = [], [], []
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(path)
            walls.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(ctx.captured_queries))
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries))
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default={"sql": "", "time": 0})
    out.append({"label": label, "queries": max(counts), "sql_ms": statistics.median(sql) * 1000,
                "wall_ms": statistics.median(walls) * 1000, "bytes": len(response.content),
                "slowest_sql": slowest["sql"][:300], "slowest_ms": float(slowest["time"]) * 1000})
print(json.dumps(out))
"""

_WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
wrk.headers["Cookie"] = "%(cookie)s"
%(headers)s
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "micros": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "max": %%d, ' ..
    '"status": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "bytes": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout,
    summary.bytes))
end
"""


def _psql(sql: str, database: str = "postgres") -> None:
    """``sql`` on the bench's PostgreSQL server, in ``database`` (the server's own by default)."""
    import psycopg

    with psycopg.connect(ADMIN_URL.rsplit("/", 1)[0] + f"/{database}", autocommit=True) as conn:
        conn.execute(sql)


REDIS_URL = "redis://127.0.0.1:6379/14"


def _env(data_dir: Path, cache: str = "memory") -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OPORA_CACHE_DIR", None)
    if cache == "redis":
        env["OPORA_REDIS_URL"] = REDIS_URL
    else:
        env.pop("OPORA_REDIS_URL", None)
    env.update(OPORA_DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}",
               OPORA_DATA_DIR=str(data_dir), OPORA_SECRET_KEY="bench-secret-key-not-for-use",
               OPORA_DEBUG="0", OPORA_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
               DJANGO_SETTINGS_MODULE="opora.web.core.settings", OPORA_LOG_LEVEL="ERROR")
    return env


def _last_json(output: str) -> object:
    return json.loads(output.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting; see its output above")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s")


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def sign_in(port: int, username: str) -> str:
    """The real sign-in form: GET for the CSRF cookie and token, POST; the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login/")
    page = conn.getresponse()
    jar = _cookies(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert token, "no CSRF token in the sign-in form"
    body = urlencode({"username": username, "password": PASSWORD,
                      "csrfmiddlewaretoken": token.group(1)})
    conn.request("POST", "/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/login/",
        "Cookie": f"csrftoken={jar['csrftoken']}"})
    answer = conn.getresponse()
    answer.read()
    session = _cookies(answer).get("sessionid")
    if answer.status != 302 or not session:
        raise SystemExit(f"signing in as {username} failed: HTTP {answer.status}")
    return f"sessionid={session}; csrftoken={jar['csrftoken']}"


def run_wrk(port: int, paths: list[str], cookie: str, clients: int, seconds: int,
            tmp: Path, htmx: bool = False) -> dict[str, float]:
    script = tmp / "load.lua"
    headers = 'wrk.headers["HX-Request"] = "true"' if htmx else ""
    script.write_text(_WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths),
                                     "cookie": cookie, "headers": headers}, encoding="utf-8")
    completed = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "60s", "-s", str(script),
         f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    raw = json.loads(line[len("RESULT "):])
    errors = raw["status"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {"requests": raw["requests"], "rps": raw["requests"] / (raw["micros"] / 1e6),
            "p50": raw["p50"] / 1000, "p95": raw["p95"] / 1000, "p99": raw["p99"] / 1000,
            "max": raw["max"] / 1000, "errors": errors}


def first_visits(port: int, paths: list[str], cookie: str, clients: int) -> dict[str, float]:
    """Every path once, by ``clients`` threads with a kept-alive connection each: latencies of
    pages nothing has been rendered for yet (wrk cannot stop after one round)."""
    import statistics
    import threading
    from concurrent.futures import ThreadPoolExecutor

    local = threading.local()

    def fetch(path: str) -> tuple[float, bool]:
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start = time.perf_counter()
        local.conn.request("GET", path, headers={"Cookie": cookie})
        response = local.conn.getresponse()
        response.read()
        return time.perf_counter() - start, response.status == 200

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(fetch, paths))
    wall = time.perf_counter() - start
    times = sorted(t * 1000 for t, _ in results)

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))]

    return {"requests": len(times), "rps": len(times) / wall, "p50": statistics.median(times),
            "p95": pct(0.95), "p99": pct(0.99), "max": times[-1],
            "errors": sum(1 for _, ok in results if not ok)}


def paired_table(rows: list[tuple[str, dict[str, float], dict[str, float]]]) -> list[str]:
    """Each page beside the sign-in page measured just before it: on a shared machine the load
    moves during a run, so a page's ratio is taken against its own neighbour (as farm-bench
    pairs its commands), not against one baseline at the start."""
    lines = ["| страница | в секунду | p50, мс | p95, мс | ошибок | вход перед ней: p95, мс | "
             "p95 / вход |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r, base in rows:
        lines.append(f"| {label} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | "
                     f"{r['errors']:.0f} | {base['p95']:.0f} | {r['p95'] / base['p95']:.1f} |")
    return lines


def measure_paired(port: int, pages: list[tuple[str, str, str]], cookies: dict[str, str],
                   clients: int, seconds: int, tmp: Path, repeat: int = 1
                   ) -> list[tuple[str, dict[str, float], dict[str, float]]]:
    """``(label, page result, sign-in result just before it)`` for every ``(label, user, path)``.

    With ``repeat`` > 1 every pair is measured that many times (rounds over all pages) and the
    pair with the median ratio is kept: one burst of other work on the machine moves one round,
    not the figure."""
    rounds: dict[str, list[tuple[dict[str, float], dict[str, float]]]] = {}
    for _ in range(repeat):
        for label, user, path in pages:
            _drain(port)
            base = run_wrk(port, ["/login/"], "", clients, seconds, tmp)
            _drain(port)
            result = run_wrk(port, [path], cookies.get(user, ""), clients, seconds, tmp)
            print(f"{label}: {result}; вход перед ней: p95 {base['p95']:.0f} мс", flush=True)
            rounds.setdefault(label, []).append((result, base))
    rows = []
    for label, _, _ in pages:
        pairs = sorted(rounds[label], key=lambda pair: pair[0]["p95"] / pair[1]["p95"])
        result, base = pairs[len(pairs) // 2]
        rows.append((label, result, base))
    return rows


def serve_and_report(*, database: str, out: Path, saved_setup: Path, prefix: str,
                     cache: str, workers: int, keep: bool, reuse: bool,
                     prepare: Callable[[Path, dict[str, str]], dict[str, object]],
                     measure: Callable[[int, dict[str, object], Path, dict[str, str]], str],
                     worker_timeout: int | None = None, up_seconds: float = 60) -> int:
    """What every page bench shares: the site on ``database`` (made by ``prepare(tmp, env)``,
    or the setup kept by an earlier ``keep`` run when ``reuse``, migrated to the code first),
    served by gunicorn with ``workers`` sync processes (``worker_timeout``: gunicorn's
    ``--timeout``) and ``cache`` (``redis``: flushed first, or ``memory``), up within
    ``up_seconds``, measured by ``measure(port, setup, tmp, env)``; the report printed and
    written to ``out``; the server stopped and, unless kept, the database dropped, whatever
    happens."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    env = _env(tmp / "var", cache)
    env["OPORA_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{database}"
    if cache == "redis":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # nothing kept from an earlier run
    server = None
    try:
        if reuse:  # a kept database follows the code's migrations
            subprocess.run([sys.executable, "-m", "opora.cli", "manage", "migrate", "-v", "0"],
                           env=env, check=True)
        setup = (json.loads(saved_setup.read_text("utf-8")) if reuse else prepare(tmp, env))
        port = _free_port()
        timeout = ["--timeout", str(worker_timeout)] if worker_timeout else []
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "opora.web.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
             *timeout], env=env, cwd=REPO)
        _wait_until_up(port, server, seconds=up_seconds)
        report = measure(port, setup, tmp, env)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not (keep or reuse):
            _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0


def _profile_table(profile: list[dict[str, object]]) -> list[str]:
    lines = ["| страница (один запрос, в процессе) | SQL-запросов | время SQL, мс | время запроса, мс | "
             "размер, КБ | самый долгий SQL, мс |", "|---|---:|---:|---:|---:|---:|"]
    for p in profile:
        lines.append(f"| {p['label']} | {p['queries']} | {p['sql_ms']:.1f} | {p['wall_ms']:.1f} | "
                     f"{int(p['bytes']) / 1024:.0f} | {p['slowest_ms']:.1f} |")
    return lines


def main() -> int:
    global DB_NAME
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--cache", choices=("redis", "memory"), default="redis",
                        help="the shared Redis cache (as deployed) or each process its own")
    parser.add_argument("--keep", action="store_true", help="keep the opora_bench database")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database kept by an earlier --keep run")
    parser.add_argument("--cold-overview", action="store_true",
                        help="let wrk's 50 clients hit the overview before its part is built "
                             "(every process builds it at once) instead of one request first")
    parser.add_argument("--database", default=DB_NAME,
                        help="the PostgreSQL database to create (several people share a server)")
    args = parser.parse_args()
    DB_NAME = args.database
    return serve_and_report(
        database=DB_NAME, out=OUT, saved_setup=SAVED_SETUP, prefix="opora-bench-web-",
        cache=args.cache, workers=args.workers, keep=args.keep, reuse=args.reuse,
        prepare=lambda tmp, env: _prepare(args, tmp, env),
        measure=lambda port, setup, tmp, env: _measure(args, port, setup, tmp, env),
        worker_timeout=120, up_seconds=300)


def _prepare(args: argparse.Namespace, tmp: Path, env: dict[str, str]) -> dict[str, object]:
    """A fresh database: generate the region, load it, analyse it, create the users."""
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB_NAME}")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "opora.cli", "generate", "--scale", "region",
                    "--years", str(args.years), "--out", str(tmp / "data")], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    print(f"generated in {time.perf_counter() - start:.1f} s; loading and analysing…", flush=True)
    setup = _last_json(subprocess.run(
        [sys.executable, "-c", _SETUP, str(tmp / "data"), PASSWORD], env=env, check=True,
        capture_output=True, text=True).stdout)
    assert isinstance(setup, dict)
    print(f"setup: {setup['timings']}, schools {setup['schools']}", flush=True)
    if args.keep:
        SAVED_SETUP.parent.mkdir(parents=True, exist_ok=True)
        SAVED_SETUP.write_text(json.dumps(setup), encoding="utf-8")
    return setup


def _drain(port: int, seconds: float = 300) -> None:
    """Wait until the server is idle again: gunicorn's sync workers still answer the requests
    wrk left queued when it stopped; the next page must not pay for them."""
    deadline, quick = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and quick < 3:
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/login/")
        conn.getresponse().read()
        quick = quick + 1 if time.perf_counter() - start < 0.05 else 0
        time.sleep(0.2)


def _warm_cards(env: dict[str, str]) -> str:
    """What the worker does when a run finishes (card/warming.py), by its command; its
    report line and wall time."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "opora.cli", "manage", "warm_cards"], env=env,
                          check=True, capture_output=True, text=True, cwd=REPO)
    took = time.perf_counter() - start
    print(f"warm_cards: {done.stdout.strip()} ({took:.1f} s)", flush=True)
    return f"{done.stdout.strip()} Всего с запуском процесса: {took:.1f} с."


def _measure(args: argparse.Namespace, port: int, setup: dict[str, object], tmp: Path,
             env: dict[str, str]) -> str:
    load_before = os.getloadavg()[0]  # other work on the machine inflates every figure
    regional = sign_in(port, "bench-regional")
    coordinator = sign_in(port, "bench-coordinator")
    town, town_schools = setup["town"], setup["town_schools"]
    region_schools = setup["region_schools"]
    town_cards = [f"/schools/{pk}/" for pk in town_schools]  # type: ignore[attr-defined]
    region_cards = [f"/schools/{pk}/" for pk in region_schools]  # type: ignore[attr-defined]
    rows: list[tuple[str, dict[str, float], dict[str, float]]] = []

    def measure(label: str, paths: list[str], cookie: str, first: bool = False,
                warm: bool = False, htmx: bool = False) -> None:
        _drain(port)
        base = run_wrk(port, ["/login/"], "", args.clients, args.seconds, tmp)  # its neighbour
        _drain(port)
        if warm:  # one request builds the page's cached part, as the first visitor's does
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", paths[0], headers={"Cookie": cookie})
            conn.getresponse().read()
            firsts.append((label, (time.perf_counter() - start) * 1000))
            _drain(port)
        result = (first_visits(port, paths, cookie, args.clients) if first
                  else run_wrk(port, paths, cookie, args.clients, args.seconds, tmp, htmx))
        print(f"{label}: {result}; вход перед ней: p95 {base['p95']:.0f} мс", flush=True)
        rows.append((label, result, base))

    firsts: list[tuple[str, float]] = []
    measure("обзор — координатор", ["/analysis/"], coordinator, warm=not args.cold_overview)
    measure("обзор — координатор, вторая страница списка", ["/analysis/?page=2"], coordinator,
            warm=not args.cold_overview)
    measure("обзор — региональный координатор", [f"/analysis/?municipality={town}"], regional,
            warm=not args.cold_overview)
    measure("обзор — диаграммы, которые список загружает после себя (htmx), координатор",
            ["/analysis/?part=charts"], coordinator, warm=not args.cold_overview, htmx=True)
    shared = args.cache == "redis"
    warmed = _warm_cards(env) if shared else "кэш у каждого процесса свой: заранее не строятся"
    measure("карточка школы — первое открытие после расчёта"
            + (" (построены заранее)" if shared else "") + ", координатор",
            town_cards, coordinator, first=True)
    measure("карточка школы — те же карточки ещё раз тем же клиентом на Python (для сравнения "
            "с первым открытием)", town_cards, coordinator, first=True)
    measure("карточка школы — повторные открытия, координатор", town_cards, coordinator)
    if shared:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # as after a restart: Redis keeps nothing
    measure("карточка школы — первое открытие" + (", кэш пуст (разделы анализа — из базы)"
                                                  if shared else "")
            + ", региональный координатор", region_cards, regional, first=True)
    measure("карточка школы — повторные открытия, региональный координатор", region_cards,
            regional)
    if shared:  # the price of building a card: nothing of it in the cache nor in the database
        redis.Redis.from_url(REDIS_URL).flushdb()
        _psql("TRUNCATE card_storedanalysispart", DB_NAME)
        measure("карточка школы — первое открытие, ничего не построено (кэш пуст, в базе "
                "разделов нет: цена построения), региональный координатор", region_cards,
                regional, first=True)
    pages = [["обзор — координатор", "bench-coordinator", "/analysis/"],
             ["карточка школы — координатор", "bench-coordinator",
              f"/schools/{town_schools[0]}/"]]  # type: ignore[index]
    profile = _last_json(subprocess.run([sys.executable, "-c", _PROFILE, json.dumps(pages)],
                                        env=env, check=True, capture_output=True,
                                        text=True).stdout)
    lines = [
        f"Регион: {setup['schools']} школ, {setup['municipalities']} муниципалитетов, годы: "
        f"{args.years}; координатор — «{setup['town_name']}» ({len(town_schools)} школ). "  # type: ignore[arg-type]
        f"Подготовка, с: {setup['timings']}. gunicorn, синхронных процессов: {args.workers}; "
        f"кэш: {'общий Redis' if args.cache == 'redis' else 'свой у каждого процесса'}; "
        f"wrk: {args.clients} соединений, {args.seconds} с на страницу; {os.cpu_count()} ядра; "
        f"средняя загрузка машины (loadavg, 1 мин) до замера {load_before:.1f}, после "
        f"{os.getloadavg()[0]:.1f}. Карточки заранее (`opora manage warm_cards`, как фоновый "
        f"обработчик после расчёта): {warmed}",
        "", *paired_table(rows), "", *_profile_table(profile),  # type: ignore[arg-type]
    ]
    if firsts:
        lines += ["", "Первый запрос страницы перед замером (строит её готовую часть, один "
                  "клиент), мс: " + "; ".join(f"{label} — {ms:.0f}" for label, ms in firsts)
                  + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
