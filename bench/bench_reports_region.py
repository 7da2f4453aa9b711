"""The analytical note for a region of about 1,000 schools, and the public page under 50 clients
(issue 17), on PostgreSQL.

    apt-get install wrk
    .venv/bin/python bench/bench_reports_region.py [--seconds 10] [--repeat 3] [--keep | --reuse]

What it does:

1. prepares the region as the web load bench does (``bench_web_load.py``: ``opora generate
   --scale region`` — 951 schools in 4 municipalities, 3 years —, loaded into a fresh PostgreSQL
   database ``opora_bench_reports`` and analysed through the web), approves the run as the
   official list of its latest year for every municipality (``run_approve``, as a coordinator
   does) and publishes the note of the largest municipality on the public page;
2. **the note**: builds the analytical note of every municipality of the region as its
   coordinator would (all queries, the typology chart drawn by vl-convert, the document) in
   DOCX, XLSX and PDF — the first time (cold) and again — and reports each time and the sum over
   the region (target: under 30 s for the region);
3. **the public page**: starts gunicorn (5 sync processes, each with its own cache) and lets
   ``wrk`` hold ``--clients`` connections on the public page of the largest municipality and on
   the public index, each right after the sign-in page measured the same way (target: p95
   within 2× the sign-in page's).

Results: stdout and ``bench/out/reports_region.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_web_load as web  # the region's preparation and the load harness

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "reports_region.md"
DB_NAME = "opora_bench_reports"
SAVED_SETUP = REPO / "bench" / "out" / "reports_region_setup.json"

# Approves the region-wide run as the official list and publishes the largest one's note; prints JSON.
_APPROVE = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from opora.web.analysis.models import AnalysisRun
from opora.web.analysis.official import run_approve, run_years
from opora.web.reports.services import document_publish
from opora.web.schools.models import Municipality
admin = get_user_model().objects.get(username="bench-admin")
run = AnalysisRun.objects.get(pk=int(sys.argv[1]))
year = run_years(run)[-1]
approved = run_approve(user=admin, run=run, year=year, basis="приказ № 1 (стенд)")  # region-wide
largest = Municipality.objects.get(pk=int(sys.argv[2]))
published = document_publish(user=admin, municipality=largest, year=year)
print(json.dumps({"year": year, "list": approved.pk, "listed": approved.inclusions.count(),
                  "published": published.pk}))
"""

# Builds every municipality's note in each format twice, as its coordinator; prints JSON.
_NOTES = r"""
import json, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db.models import Count
from opora.web.accounts import models as roles
from opora.web.accounts.scope import Viewer
from opora.web.accounts.services import role_assign, user_create
from opora.web.reports import services
from opora.web.schools.models import Municipality
year = int(sys.argv[1])
out = []
for town in Municipality.objects.annotate(n=Count("schools")).order_by("-n", "pk"):
    name = f"bench-note-{town.pk}"
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        user = user_create(username=name, password="bench-password-1")
        role_assign(user=user, role=roles.COORDINATOR, municipality=town)
    viewer = Viewer.of(user)
    row = {"town": town.name, "schools": town.n}
    for fmt in ("docx", "xlsx", "pdf"):
        times = []
        for _ in range(2):
            start = time.perf_counter()
            built = services.build(viewer=viewer, kind="note", fmt=fmt, municipality=town,
                                   year=year)
            times.append(time.perf_counter() - start)
        row[fmt] = times
        row[fmt + "_kb"] = len(built.content) / 1024
    out.append(row)
print(json.dumps(out))
"""


def _prepare(args: argparse.Namespace, tmp: Path, env: dict[str, str]) -> dict[str, object]:
    setup = web._prepare(args, tmp, env)
    done = subprocess.run([sys.executable, "-c", _APPROVE, str(setup["run"]), str(setup["town"])],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit("approving the list failed:\n" + done.stderr[-3000:])
    approved = web._last_json(done.stdout)
    assert isinstance(approved, dict)
    setup.update(approved)
    setup.pop("town_schools", None)
    setup.pop("region_schools", None)
    if args.keep:
        SAVED_SETUP.parent.mkdir(parents=True, exist_ok=True)
        SAVED_SETUP.write_text(json.dumps(setup), encoding="utf-8")
    return setup


def _notes_table(notes: list[dict[str, object]]) -> list[str]:
    lines = ["| муниципалитет | школ | DOCX, с (первый / повтор) | XLSX, с | PDF, с | "
             "DOCX, КБ | PDF, КБ |", "|---|---:|---:|---:|---:|---:|---:|"]
    for n in notes:
        cell = {f: "{:.1f} / {:.1f}".format(*n[f]) for f in ("docx", "xlsx", "pdf")}  # type: ignore[str-format]
        lines.append(f"| {n['town']} | {n['schools']} | {cell['docx']} | {cell['xlsx']} | "
                     f"{cell['pdf']} | {n['docx_kb']:.0f} | {n['pdf_kb']:.0f} |")
    return lines


def _measure(args: argparse.Namespace, port: int, setup: dict[str, object], tmp: Path,
             env: dict[str, str]) -> str:
    load_before = os.getloadavg()[0]
    notes = web._last_json(subprocess.run(
        [sys.executable, "-c", _NOTES, str(setup["year"])], env=env, check=True,
        capture_output=True, text=True).stdout)
    assert isinstance(notes, list)
    region_cold = {f: sum(n[f][0] for n in notes) for f in ("docx", "xlsx", "pdf")}
    pages = [("публичная страница муниципалитета", "", f"/public/{setup['town']}/"),
             ("публичная страница: список муниципалитетов", "", "/public/")]
    rows = web.measure_paired(port, pages, {}, args.clients, args.seconds, tmp, args.repeat)
    worst = max(r["p95"] / base["p95"] for _, r, base in rows)
    lines = [
        f"Регион: {setup['schools']} школ в {setup['municipalities']} муниципалитетах, 3 года, "
        f"официальный список {setup['year']} года ({setup['listed']} школ) утверждён по расчёту; "
        f"подготовка, с: "
        f"{setup['timings']}. {os.cpu_count()} ядра; средняя загрузка машины (loadavg, 1 мин) "
        f"до замера {load_before:.1f}, после {os.getloadavg()[0]:.1f}.",
        "",
        f"**Справка по всем муниципалитетам региона, в первый раз:** DOCX "
        f"{region_cold['docx']:.1f} с, XLSX {region_cold['xlsx']:.1f} с, PDF "
        f"{region_cold['pdf']:.1f} с (цель — меньше 30 с на регион).",
        "", *_notes_table(notes), "",
        f"**Публичная страница** (gunicorn, {args.workers} процессов, кэш у каждого свой; wrk "
        f"{args.clients} соединений по {args.seconds} с, кругов {args.repeat}, у каждой "
        f"страницы — медиана отношения): худшее отношение p95 к входу {worst:.1f} (цель — не "
        f"больше 2).",
        "", *web.paired_table(rows),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    web.DB_NAME = DB_NAME  # the region bench's preparation, in a database of our own
    return web.serve_and_report(
        database=DB_NAME, out=OUT, saved_setup=SAVED_SETUP, prefix="opora-bench-reports-",
        cache="memory", workers=args.workers, keep=args.keep, reuse=args.reuse,
        prepare=lambda tmp, env: _prepare(args, tmp, env),
        measure=lambda port, setup, tmp, env: _measure(args, port, setup, tmp, env))


if __name__ == "__main__":
    raise SystemExit(main())
