"""The support pages under 50 concurrent clients, on PostgreSQL, with gunicorn (issue 14).

    apt-get install wrk                                  # the load tool (Debian package)
    .venv/bin/python bench/bench_support.py [--clients 50] [--seconds 30] [--workers 5] [--repeat 3]
                                            [--events 20000] [--schools 1000] [--keep | --reuse]

What it does:

1. creates a fresh PostgreSQL database ``opora_bench_support`` on 127.0.0.1:5432 (user postgres)
   and migrates it; writes a region of ``--schools`` schools in 30 municipalities (one town of
   120 schools, the coordinator's), 20 teachers per school, each municipality's official list
   (a third of its schools), curators, and a year of ``--events`` support events (from a year ago
   to a month ahead, 1–3 schools and 2–4 participants each, statuses as in practice) — written in
   bulk: the pages read no history;
2. starts the site with gunicorn (``--workers`` sync processes) with ``DEBUG`` off and each
   process's own cache (the support pages are not cached: they change with every record);
3. signs the coordinator, regional staff and a curator in through the sign-in form and lets
   ``wrk`` hold ``--clients`` connections for ``--seconds`` on each page: the events list, the
   month calendar and «Кто получил помощь», for the coordinator (the town) and regional staff
   (the whole region's events; coverage of the town) and the curator's «my schools» — each
   right after the sign-in page (the **baseline**, no database) measured the same way, so each
   page's ratio is to its own neighbour while the machine's load moves;
4. profiles one request of each page in-process: SQL queries, their time, the request's wall
   time and size.

Results: stdout and ``bench/out/support_load.md``. The figure that matters is p95 as a ratio to
the sign-in page's p95 in the same run (target ≤ 6×, the overview's ratio,
docs/benchmarks.md); absolute milliseconds depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_web_load as web  # the same harness as the overview's bench

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "support_load.md"
DB_NAME = "opora_bench_support"
SAVED_SETUP = REPO / "bench" / "out" / "support_setup.json"

# Runs in a child process with Django configured for the bench database; prints the setup as JSON.
_SETUP = r"""
import datetime as dt, json, random, sys, time
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
start = time.perf_counter()
call_command("migrate", interactive=False, verbosity=0)
migrated = time.perf_counter() - start
from django.contrib.auth import get_user_model
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, Inclusion
from opora.web.schools.models import Municipality, Region, School
from opora.web.staff.models import Teacher
from opora.web.support.models import (Curatorship, EventParticipant, EventSchool,
                                      SupportEvent)
from opora.glossary import EVENT_KINDS
n_schools, n_events, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(14)
start = time.perf_counter()
region = Region.objects.create(name="Стендовая область")
towns = [Municipality.objects.create(region=region, name=f"Муниципалитет {i:02d}")
         for i in range(30)]
sizes = [120] + [(n_schools - 120) // 29] * 29
sizes[-1] += n_schools - sum(sizes)
schools = []
for town, size in zip(towns, sizes):
    schools += [School(municipality=town, key=f"b{town.pk}-{i}", short_name=f"СОШ № {i}",
                       number=i) for i in range(1, size + 1)]
School.objects.bulk_create(schools, batch_size=1000)
schools = list(School.objects.order_by("pk"))
by_town = {}
for s in schools:
    by_town.setdefault(s.municipality_id, []).append(s)
subjects = (["math"], ["rus", "literature"], ["primary_school"], ["english"], ["history"])
Teacher.objects.bulk_create([Teacher(school=s, name=f"П-{i:03d}", name_is_code=True,
                                     subjects=rng.choice(subjects))
                             for s in schools for i in range(1, 21)], batch_size=5000)
teachers = {}
for pk, school_id in Teacher.objects.values_list("pk", "school_id"):
    teachers.setdefault(school_id, []).append(pk)
now = timezone.now()
for town in towns:
    run = AnalysisRun.objects.create(scope="municipality", municipality=town, region=region,
                                     status=DONE, finished_at=now, run_json={"years_analysed": [2025]})
    listed = ApprovedList.objects.create(run=run, year=2025, region=region, municipality=town,
                                         basis="стенд")
    Inclusion.objects.bulk_create([Inclusion(approved_list=listed, school=s, category="low_results",
                                             since_year=2024, evidence="стенд")
                                   for s in by_town[town.pk][::3]])
admin = get_user_model().objects.create_superuser("bench-admin", "", password)
coordinator = user_create(username="bench-coordinator", password=password)
role_assign(user=coordinator, role=roles.COORDINATOR, municipality=towns[0])
methodist = user_create(username="bench-methodist", password=password)
role_assign(user=methodist, role=roles.METHODIST, municipality=towns[0])
regional = user_create(username="bench-regional", password=password)
role_assign(user=regional, role=roles.REGIONAL, region=region)
curator = user_create(username="bench-curator", password=password)
for s in by_town[towns[0].pk][:15:3]:
    role_assign(user=curator, role=roles.CURATOR, school=s)
    Curatorship.objects.create(curator=curator, school=s, started_on=dt.date(2025, 9, 1),
                               basis="стенд")
kinds = [k.code for k in EVENT_KINDS if k.code != "other"]
begin = now - dt.timedelta(days=365)
events, links, people = [], [], []
for i in range(n_events):
    town = towns[0] if rng.random() < 120 / n_schools else rng.choice(towns[1:])
    chosen = rng.sample(by_town[town.pk], min(len(by_town[town.pk]), rng.choice((1, 1, 1, 2, 3))))
    starts = begin + dt.timedelta(days=rng.uniform(0, 395))
    starts = starts.replace(hour=rng.choice((9, 10, 11, 13, 14, 15)), minute=0, second=0,
                            microsecond=0)
    status = "planned" if starts > now else rng.choices(
        ("held", "held_remote", "postponed", "cancelled"), (85, 7, 5, 3))[0]
    events.append(SupportEvent(municipality=town, kind=rng.choice(kinds), topic=f"Мероприятие {i}",
                               starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                               status=status, status_reason="стенд" if status in (
                                   "postponed", "cancelled") else "",
                               organiser_kind="methodist", organiser=methodist, place="школа",
                               created_by=methodist))
    links.append(chosen)
created = SupportEvent.objects.bulk_create(events, batch_size=2000)
school_links = []
for event, chosen in zip(created, links):
    for s in chosen:
        school_links.append(EventSchool(event=event, school=s))
        for t in rng.sample(teachers[s.pk], rng.randint(2, 4)):
            people.append(EventParticipant(event=event, teacher_id=t, school=s,
                                           attended=rng.choice((True, True, True, None))))
EventSchool.objects.bulk_create(school_links, batch_size=5000)
EventParticipant.objects.bulk_create(people, batch_size=5000)
mid = (now - dt.timedelta(days=60)).date()
print(json.dumps({"timings": {"migrate": round(migrated, 1),
                              "data": round(time.perf_counter() - start, 1)},
                  "schools": len(schools), "events": n_events, "links": len(school_links),
                  "participants": len(people), "town": towns[0].pk,
                  "town_events": SupportEvent.objects.filter(municipality=towns[0]).count(),
                  "month": mid.isoformat()}))
"""


def _pages(setup: dict[str, object]) -> list[tuple[str, str, str]]:
    """(label, user, path) of every measured page."""
    town, month = setup["town"], setup["month"]
    return [
        ("мероприятия — координатор", "bench-coordinator", "/support/events/"),
        ("мероприятия — региональный координатор", "bench-regional", "/support/events/"),
        ("календарь на месяц — координатор", "bench-coordinator",
         f"/support/calendar/?date={month}"),
        ("календарь на неделю — региональный координатор", "bench-regional",
         f"/support/calendar/?view=week&date={month}"),
        ("кто получил помощь — координатор", "bench-coordinator", "/support/coverage/"),
        ("кто получил помощь — региональный координатор", "bench-regional",
         f"/support/coverage/?municipality={town}"),
        ("кто получил помощь — куратор (мои школы)", "bench-curator", "/support/coverage/"),
    ]


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    web._psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    web._psql(f"CREATE DATABASE {DB_NAME}")
    done = subprocess.run([sys.executable, "-c", _SETUP, str(args.schools), str(args.events),
                           web.PASSWORD], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit("the setup failed:\n" + done.stderr[-3000:])
    setup = web._last_json(done.stdout)
    assert isinstance(setup, dict)
    print(f"setup: {setup}", flush=True)
    if args.keep:
        SAVED_SETUP.parent.mkdir(parents=True, exist_ok=True)
        SAVED_SETUP.write_text(json.dumps(setup), encoding="utf-8")
    return setup


def _measure(args: argparse.Namespace, port: int, setup: dict[str, object], tmp: Path,
             env: dict[str, str]) -> str:
    load_before = os.getloadavg()[0]
    cookies = {user: web.sign_in(port, user)
               for user in ("bench-coordinator", "bench-regional", "bench-curator")}
    rows = web.measure_paired(port, _pages(setup), cookies, args.clients, args.seconds, tmp,
                              args.repeat)
    profile = web._last_json(subprocess.run(
        [sys.executable, "-c", web._PROFILE, json.dumps([list(p) for p in _pages(setup)])],
        env=env, check=True, capture_output=True, text=True).stdout)
    worst = max(r["p95"] / base["p95"] for _, r, base in rows)
    lines = [
        f"Регион: {setup['schools']} школ, 30 муниципалитетов; мероприятий за год — "
        f"{setup['events']} (у координатора — {setup['town_events']}), связей со школами "
        f"{setup['links']}, участников {setup['participants']}. Подготовка, с: "
        f"{setup['timings']}. gunicorn, синхронных процессов: {args.workers}; кэш у каждого "
        f"процесса свой; wrk: {args.clients} соединений, {args.seconds} с на страницу, "
        f"кругов по всем страницам: {args.repeat} (у каждой — медиана отношения), перед "
        f"каждой страницей — вход (базовая линия) столько же; {os.cpu_count()} ядра; средняя "
        f"загрузка машины (loadavg, 1 мин) до замера {load_before:.1f}, после "
        f"{os.getloadavg()[0]:.1f}. Худшее отношение p95 к входу: {worst:.1f} (цель — не больше 6).",
        "", *web.paired_table(rows), "", *web._profile_table(profile),  # type: ignore[arg-type]
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds over all pages; the median ratio of each page is kept")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    return web.serve_and_report(
        database=DB_NAME, out=OUT, saved_setup=SAVED_SETUP, prefix="opora-bench-support-",
        cache="memory", workers=args.workers, keep=args.keep, reuse=args.reuse,
        prepare=lambda tmp, env: _prepare(args, env),
        measure=lambda port, setup, tmp, env: _measure(args, port, setup, tmp, env))


if __name__ == "__main__":
    raise SystemExit(main())
