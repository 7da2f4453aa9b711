"""The web's analysis run and loading a region, against their baselines in the same run (issue 18).

    .venv/bin/python bench/bench_web_run.py [--scale region] [--years 3] [--keep]

1. Generates a data set (``opora generate``; the region: 951 schools, 2.1 M results) and loads
   it with :func:`opora.web.imports.services.load_tables` into a fresh PostgreSQL database
   ``opora_bench_run`` (127.0.0.1:5432, user postgres; dropped at the end unless ``--keep``).
   **Baseline:** PostgreSQL's own ``COPY … FROM STDIN`` of the same rows of the two big tables
   (results and aggregates, CSV made beforehand) into the same tables with their indexes and
   foreign keys, in one transaction (the tables are emptied by ``TRUNCATE`` first and hold the
   same rows again afterwards).
2. Runs one region-wide analysis as the background worker does
   (:func:`opora.web.analysis.execution.run_execute`) and reports the stages it records on the
   run (``AnalysisRun.timings``: read from the database, engine, store).
   **Baseline:** ``opora analyze`` (a new process, as a user runs it) on the generated Parquet
   files of the same data.

Results: stdout and ``bench/out/web_run.md``. The ratios matter, not the seconds (2 shared cores).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "web_run.md"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "opora_bench_run"

# Runs in a child process with Django configured for the bench database.
_CHILD = r"""
import io, json, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
import pyarrow.parquet as pq
from opora.schemas import TABLES
from opora.web.assessment.models import SchoolAggregate, StudentResult
from opora.web.imports.services import load_tables
out = {}
call_command("migrate", interactive=False, verbosity=0)
data = Path(sys.argv[1])
tables = {n: pq.read_table(data / f"{n}.parquet") for n in TABLES if (data / f"{n}.parquet").exists()}
start = time.perf_counter()
outcome = load_tables(tables=tables, name="bench")
out["load"] = time.perf_counter() - start
assert outcome.ok, outcome.summary()
out["rows"] = {"results": StudentResult.objects.count(), "aggregates": SchoolAggregate.objects.count()}

def copy_baseline():
    dumps = {}
    for model in (StudentResult, SchoolAggregate):
        table = connection.ops.quote_name(model._meta.db_table)
        buffer = io.BytesIO()
        with connection.cursor() as c, c.cursor.copy(f"COPY {table} TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
        dumps[table] = buffer.getvalue()
    start = time.perf_counter()
    with transaction.atomic():
        for table, body in dumps.items():
            with connection.cursor() as c:
                c.execute(f"TRUNCATE {table}")
                with c.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    view = memoryview(body)
                    for at in range(0, len(body), 1 << 24):
                        copy.write(view[at:at + (1 << 24)])
    return time.perf_counter() - start

out["copy"] = copy_baseline()
from django.contrib.auth import get_user_model
from opora.web.analysis.execution import run_execute
from opora.web.analysis.services import run_start
from opora.web.schools.models import Region
admin = get_user_model().objects.create_superuser("bench-admin", "", "bench-password-1")
start = time.perf_counter()
run = run_start(user=admin, region=Region.objects.get())
run = run_execute(run_id=run.pk)
out["web_run"] = time.perf_counter() - start
assert run.status == "done", run.message
out["stages"] = run.timings
out["counts"] = {k: v for k, v in run.counts.items() if k != "unknown_schools"}
print(json.dumps(out))
"""


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


STAGES = (("export", "чтение из базы"), ("engine", "движок"),
          ("load", "сохранение результатов"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="region")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME}")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="opora-bench-run-"))
    env = dict(os.environ, OPORA_DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}",
               OPORA_DATA_DIR=str(tmp / "var"), DJANGO_SETTINGS_MODULE="opora.web.core.settings",
               OPORA_LOG_LEVEL="ERROR")
    env.pop("OPORA_REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "opora.cli", "generate", "--scale", args.scale,
                    "--years", str(args.years), "--out", str(tmp / "data")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB_NAME}")
    load_before = os.getloadavg()[0]
    try:
        child = subprocess.run([sys.executable, "-c", _CHILD, str(tmp / "data")], env=env,
                               check=True, capture_output=True, text=True)
        got = json.loads(child.stdout.strip().splitlines()[-1])
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "opora.cli", "analyze", str(tmp / "data"), "--out",
                        str(tmp / "cli")], env=env, check=True, capture_output=True)
        cli = time.perf_counter() - start
    finally:
        if not args.keep:
            _psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    stages = got["stages"]
    lines = [
        f"Масштаб {args.scale}, годы: {args.years}; строк: {got['rows']}; сохранено: "
        f"{got['counts']}; {os.cpu_count()} ядра, средняя загрузка (1 мин) до замера "
        f"{load_before:.1f}, после {os.getloadavg()[0]:.1f}.", "",
        "| что | Опора, с | базовая линия | базовая, с | отношение |", "|---|---:|---|---:|---:|",
        f"| загрузка набора в PostgreSQL (`load_tables`) | {got['load']:.1f} | COPY тех же строк "
        f"results и aggregates | {got['copy']:.1f} | {got['load'] / got['copy']:.2f} |",
        f"| расчёт через веб (`run_execute`) | {got['web_run']:.1f} | `opora analyze` | {cli:.1f} "
        f"| {got['web_run'] / cli:.2f} |", "",
        "Этапы расчёта через веб (`AnalysisRun.timings`), с: "
        + "; ".join(f"{label} {stages[code]:.1f}" for code, label in STAGES if code in stages)
        + ".",
    ]
    report = "\n".join(lines) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
