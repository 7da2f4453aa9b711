"""The programme pages under 50 concurrent clients, on PostgreSQL, with gunicorn (issue 15).

    apt-get install wrk                                  # the load tool (Debian package)
    .venv/bin/python bench/bench_programmes.py [--clients 50] [--seconds 30] [--workers 5]
                                               [--repeat 3] [--schools 1000] [--keep | --reuse]

What it does:

1. creates a fresh PostgreSQL database ``opora_bench_programmes`` on 127.0.0.1:5432 and writes
   the region of the support bench (``bench_support.py``: ``--schools`` schools in 30
   municipalities, the coordinator's town of 120, 20 teachers per school, each municipality's
   official list of a third of its schools, a year of 2,000 support events); then, through the
   same services the pages call (``programmes/demo.py``'s plan, as the demo has it), the 500+
   cycle halfway: risk profiles of every school of the region for two years, and in the
   coordinator's town a document campaign, roadmaps of its 40 listed schools with 20 measures
   each in every state, and two review campaigns;
2. starts the site with gunicorn (``--workers`` sync processes) with the shared Redis cache and
   sessions, as deployed (``--cache memory``: each process its own cache, sessions in the
   database);
3. lets ``wrk`` hold ``--clients`` connections for ``--seconds`` on each page — the heat map
   (schools × factors) for the coordinator and for regional staff, the campaign's table
   (schools × kinds), the monitoring of execution («кто отстаёт»), the review campaigns — each
   right after the sign-in page (the **baseline**, no database) measured the same way;
4. profiles one request of each page in process: SQL queries, their time, wall time, size.

Results: stdout and ``bench/out/programmes_load.md``. The figure that matters is each page's p95
as a ratio to the sign-in page's p95 just before it (target ≤ 6×, issue 15).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_support as support  # the region, the users and the official lists
import bench_web_load as web  # the load harness

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "programmes_load.md"
DB_NAME = "opora_bench_programmes"
SAVED_SETUP = REPO / "bench" / "out" / "programmes_setup.json"

# Runs in a child process with Django configured for the bench database; prints JSON.
_PROGRAMMES = r"""
import json, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.programmes.demo import _Demo
from opora.web.programmes.models import DocumentCampaign, Measure, ReviewCampaign, RiskProfile
from opora.web.schools.models import Municipality
start = time.perf_counter()
password = sys.argv[1]
User = get_user_model()
towns = list(Municipality.objects.order_by("pk"))
town = towns[0]
head = user_create(username="bench-school", password=password)
role_assign(user=head, role=roles.SCHOOL_ADMIN, school=town.schools.order_by("pk")[1])
users = {"demo-coordinator": User.objects.get(username="bench-admin"),
         "demo-curator": User.objects.get(username="bench-curator"),
         "demo-methodist": User.objects.get(username="bench-methodist"),
         "demo-school": head}
today = timezone.localdate()
with transaction.atomic():
    _Demo(town, users, today, 15).make()
for other in towns[1:]:
    with transaction.atomic():
        _Demo(other, users, today, other.pk)._profiles()
campaign = DocumentCampaign.objects.filter(municipality=town).order_by("pk").first()
print(json.dumps({"seconds": round(time.perf_counter() - start, 1),
                  "profiles": RiskProfile.objects.count(),
                  "measures": Measure.objects.count(),
                  "campaign": campaign.pk, "campaign_schools": campaign.campaign_schools.count(),
                  "reviews": ReviewCampaign.objects.count()}))
"""


def _pages(setup: dict[str, object]) -> list[tuple[str, str, str]]:
    """(label, user, path) of every measured page."""
    town, campaign = setup["town"], setup["campaign"]
    return [
        ("тепловая карта рисков — координатор", "bench-coordinator", "/programmes/profiles/"),
        ("тепловая карта рисков — региональный координатор", "bench-regional",
         f"/programmes/profiles/?municipality={town}"),
        ("документы кампании (школы × виды) — координатор", "bench-coordinator",
         f"/programmes/campaigns/{campaign}/"),
        ("исполнение дорожных карт — координатор", "bench-coordinator", "/programmes/monitoring/"),
        ("исполнение дорожных карт — региональный координатор", "bench-regional",
         f"/programmes/monitoring/?municipality={town}"),
        ("экспертиза — координатор", "bench-coordinator", "/programmes/reviews/"),
    ]


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    web._psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    web._psql(f"CREATE DATABASE {DB_NAME}")
    region = subprocess.run([sys.executable, "-c", support._SETUP, str(args.schools), "2000",
                             web.PASSWORD], env=env, capture_output=True, text=True)
    if region.returncode:
        raise SystemExit("the region's setup failed:\n" + region.stderr[-3000:])
    setup = web._last_json(region.stdout)
    assert isinstance(setup, dict)
    done = subprocess.run([sys.executable, "-c", _PROGRAMMES, web.PASSWORD], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit("the programmes' setup failed:\n" + done.stderr[-3000:])
    made = web._last_json(done.stdout)
    assert isinstance(made, dict)
    setup.update(made)
    print(f"setup: {setup}", flush=True)
    if args.keep:
        SAVED_SETUP.parent.mkdir(parents=True, exist_ok=True)
        SAVED_SETUP.write_text(json.dumps(setup), encoding="utf-8")
    return setup


def _measure(args: argparse.Namespace, port: int, setup: dict[str, object], tmp: Path,
             env: dict[str, str]) -> str:
    load_before = os.getloadavg()[0]
    cookies = {user: web.sign_in(port, user) for user in ("bench-coordinator", "bench-regional")}
    rows = web.measure_paired(port, _pages(setup), cookies, args.clients, args.seconds, tmp,
                              args.repeat)
    profile = web._last_json(subprocess.run(
        [sys.executable, "-c", web._PROFILE, json.dumps([list(p) for p in _pages(setup)])],
        env=env, check=True, capture_output=True, text=True).stdout)
    worst = max(r["p95"] / base["p95"] for _, r, base in rows)
    lines = [
        f"Регион: {setup['schools']} школ, 30 муниципалитетов; профилей рисков — "
        f"{setup['profiles']} (каждая школа, два года); в городе координатора кампания "
        f"документов на {setup['campaign_schools']} школ, мер дорожных карт — "
        f"{setup['measures']}, кампаний экспертизы — {setup['reviews']}. Подготовка, с: "
        f"{setup['timings']} и программы {setup['seconds']}. gunicorn, синхронных процессов: "
        f"{args.workers}; "
        f"{'общий кэш и сессии в Redis' if args.cache == 'redis' else 'кэш у каждого процесса свой'}"
        f"; wrk: {args.clients} соединений, "
        f"{args.seconds} с на страницу, кругов: {args.repeat} (у каждой страницы — медиана "
        f"отношения), перед каждой страницей — вход (базовая линия); {os.cpu_count()} ядра; "
        f"средняя загрузка машины (loadavg, 1 мин) до замера {load_before:.1f}, после "
        f"{os.getloadavg()[0]:.1f}. Худшее отношение p95 к входу: {worst:.1f} (цель — не "
        f"больше 6).",
        "", *web.paired_table(rows), "", *web._profile_table(profile),  # type: ignore[arg-type]
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds over all pages; the median ratio of each page is kept")
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--cache", choices=("redis", "memory"), default="redis",
                        help="the shared Redis cache and sessions (as deployed, "
                             "docs/operations.md) or each process its own cache")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    return web.serve_and_report(
        database=DB_NAME, out=OUT, saved_setup=SAVED_SETUP, prefix="opora-bench-programmes-",
        cache=args.cache, workers=args.workers, keep=args.keep, reuse=args.reuse,
        prepare=lambda tmp, env: _prepare(args, env),
        measure=lambda port, setup, tmp, env: _measure(args, port, setup, tmp, env))


if __name__ == "__main__":
    raise SystemExit(main())
