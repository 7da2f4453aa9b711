"""Recomputing every indicator of a region (1,000 schools × 3 years) on PostgreSQL (issue 16).

    .venv/bin/python bench/bench_indicators.py [--schools 1000] [--keep]

1. creates a fresh database ``opora_bench_indicators`` on 127.0.0.1:5432 (user postgres),
   migrates it and writes, in bulk, a region of ``--schools`` schools in 10 municipalities with
   25 teachers each, three years of support events (≈ 6 held events per school and year, 5
   participants each, one in ten marked absent), two diagnostics for half the teachers,
   mentorships, community members and network pairs, an official run with 8 works per school and
   year, and each municipality's official list (a third of its schools);
2. times, each the best of three: the **baseline** — reading the year's participants of every
   school once (one ``values_list`` of the largest fact table); **all** — every school indicator
   of every school for 3 years and every municipal indicator of every municipality
   (``selectors.school_values_by_year`` + ``municipal_values``), what a full recomputation is;
   **one event** — record one new seminar with a teacher of one school (timed apart), then
   recompute that school's indicators for 3 years (what its page does: indicators are computed
   on demand, so there is no cache to invalidate).

Targets (issue 16): all < 5 s, one event < 100 ms. Results: stdout and ``bench/out/indicators.md``
(absolute times depend on the machine; the ratio to the baseline is the portable figure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "indicators.md"
DB_NAME = "opora_bench_indicators"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
YEARS = [2023, 2024, 2025]


def _database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def _setup(n_schools: int) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from opora.web.analysis.models import (
        CATEGORY_LOW,
        DONE,
        AnalysisRun,
        ApprovedList,
        Inclusion,
        RunSchoolStat,
    )
    from opora.web.schools.models import Municipality, Region, School
    from opora.web.staff.models import DiagnosticScore, Teacher, TeacherDiagnostic
    from opora.web.support.models import (
        EventParticipant,
        EventSchool,
        Mentorship,
        NetworkPair,
        SupportEvent,
    )

    rng = random.Random(16)
    region = Region.objects.create(name="Стендовая область")
    towns = [Municipality.objects.create(region=region, name=f"Муниципалитет {i}")
             for i in range(10)]
    School.objects.bulk_create([School(municipality=towns[i % 10], key=f"s{i}",
                                       short_name=f"СОШ № {i}", number=i)
                                for i in range(n_schools)], batch_size=1000)
    schools = list(School.objects.order_by("pk"))
    Teacher.objects.bulk_create([Teacher(school=s, name=f"П-{s.pk}-{j}",
                                         subjects=[rng.choice(["rus", "math", "history"])])
                                 for s in schools for j in range(25)], batch_size=5000)
    staff: dict[int, list[int]] = {}
    for pk, school in Teacher.objects.values_list("pk", "school_id"):
        staff.setdefault(school, []).append(pk)
    events, links, people = [], [], []
    kinds = [("seminar", "methodist"), ("monitoring_visit", "curator"),
             ("consultation", "methodist"), ("round_table", "coordinator")]
    for s in schools:
        for year in YEARS:
            for _ in range(6):
                day = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 10,
                                  tzinfo=dt.UTC)
                kind, organiser = rng.choice(kinds)
                events.append(SupportEvent(municipality_id=s.municipality_id, kind=kind,
                                           topic="Тема", starts_at=day,
                                           ends_at=day + dt.timedelta(hours=2), status="held",
                                           organiser_kind=organiser))
    SupportEvent.objects.bulk_create(events, batch_size=5000)
    made = list(SupportEvent.objects.order_by("pk").values_list("pk", flat=True))
    for i, event in enumerate(made):
        school = schools[i // (6 * len(YEARS))]
        links.append(EventSchool(event_id=event, school_id=school.pk))
        for teacher in rng.sample(staff[school.pk], 5):
            people.append(EventParticipant(event_id=event, teacher_id=teacher,
                                           school_id=school.pk,
                                           attended=False if rng.random() < 0.1 else None))
    EventSchool.objects.bulk_create(links, batch_size=5000)
    EventParticipant.objects.bulk_create(people, batch_size=5000)
    diagnostics = [TeacherDiagnostic(teacher_id=t, date=dt.date(year, 3, 1),
                                     instrument="regional")
                   for s in schools for t in staff[s.pk][:12] for year in (2023, 2025)]
    TeacherDiagnostic.objects.bulk_create(diagnostics, batch_size=5000)
    DiagnosticScore.objects.bulk_create(
        [DiagnosticScore(diagnostic_id=d, domain="subject_domain", score=rng.randint(3, 10),
                         max_score=10)
         for d in TeacherDiagnostic.objects.values_list("pk", flat=True)], batch_size=5000)
    Mentorship.objects.bulk_create(
        [Mentorship(mentor_id=staff[s.pk][0], mentee_id=staff[s.pk][1],
                    started_on=dt.date(2023, 9, 1)) for s in schools], batch_size=5000)
    NetworkPair.objects.bulk_create(
        [NetworkPair(low_school=schools[i], leader_school=schools[i + 1],
                     agreed_on=dt.date(2023, 9, 1)) for i in range(0, len(schools) - 1, 6)])
    for town in towns:
        run = AnalysisRun.objects.create(scope="municipality", region=region,
                                         municipality=town, status=DONE,
                                         run_json={"years_analysed": YEARS})
        members = [s for s in schools if s.municipality_id == town.pk]
        RunSchoolStat.objects.bulk_create(
            [RunSchoolStat(run=run, school=s, procedure=p, subject=subject, grade=grade,
                           year=year, participants=rng.randint(10, 60),
                           gap_pct=rng.gauss(0, 8), fail_share_pct=rng.uniform(0, 30))
             for s in members for year in [2022, *YEARS]
             for p, grade in (("VPR", 5), ("VPR", 7), ("OGE", 9), ("EGE", 11))
             for subject in ("rus", "math")], batch_size=5000)
        approved = ApprovedList.objects.create(run=run, year=2025, region=region,
                                               municipality=town, basis="приказ")
        Inclusion.objects.bulk_create(
            [Inclusion(approved_list=approved, school=s, category=CATEGORY_LOW, since_year=2025,
                       evidence="стенд") for s in members[::3]])


def _best(work, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _measure() -> list[tuple[str, float]]:
    from opora.web.monitoring.formulas import municipal_values
    from opora.web.monitoring.selectors import listed_schools, school_values_by_year
    from opora.web.schools.models import Municipality, School
    from opora.web.staff.models import Teacher
    from opora.web.support.models import EventParticipant, EventSchool, SupportEvent

    schools = list(School.objects.select_related("municipality"))
    towns = list(Municipality.objects.all())

    def baseline() -> None:
        list(EventParticipant.objects.values_list("teacher_id", "school_id", "event__starts_at"))

    def everything() -> None:
        per = school_values_by_year(schools, YEARS)
        for town in towns:
            listed = listed_schools(town, YEARS)
            mine = [s.pk for s in schools if s.municipality_id == town.pk]
            for year in YEARS:
                municipal_values({s: per[(s, year)] for s in mine}, listed[year][1], mine)

    one = schools[0]
    teacher = Teacher.objects.filter(school=one).first()

    def record_event() -> None:
        day = dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC)
        event = SupportEvent.objects.create(
            municipality_id=one.municipality_id, kind="seminar", topic="Новый семинар",
            starts_at=day, ends_at=day + dt.timedelta(hours=2), status="held",
            organiser_kind="methodist")
        EventSchool.objects.create(event=event, school=one)
        EventParticipant.objects.create(event=event, teacher=teacher, school=one)

    def recompute_one() -> None:
        school_values_by_year([one], YEARS)

    recorded = _best(record_event)
    return [("Базовая линия: прочитать всех участников мероприятий", _best(baseline)),
            (f"Все показатели: {len(schools)} школ × {len(YEARS)} года и "
             f"{len(towns)} муниципалитетов", _best(everything)),
            ("Записать одно мероприятие (3 строки и их история; не пересчёт)", recorded),
            ("После нового мероприятия: показатели его школы за 3 года", _best(recompute_one))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="не пересоздавать базу")
    args = parser.parse_args()
    if not args.keep:
        _database()
    os.environ.update(OPORA_DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}",
                      OPORA_DATA_DIR=tempfile.mkdtemp(), OPORA_LOG_LEVEL="ERROR",
                      DJANGO_SETTINGS_MODULE="opora.web.core.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    if not args.keep:
        start = time.perf_counter()
        _setup(args.schools)
        print(f"данные записаны за {time.perf_counter() - start:.0f} с", flush=True)
    results = _measure()
    base = results[0][1]
    lines = ["# Показатели мониторинга на PostgreSQL", "",
             "| что | время, с | к базовой линии |", "|---|---|---|"]
    lines += [f"| {name} | {seconds:.3f} | {seconds / base:.1f}× |" for name, seconds in results]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
