"""Benchmark: the municipality overview, the run page and the XLSX export on stored run results.

A hand-built finished run over one municipality of N schools (flags, 3 years × 2 procedures ×
4 subjects × 2 grades of school stats, context) in a fresh SQLite database — or PostgreSQL when
``OPORA_DATABASE_URL`` is set (a scratch database is created and dropped by Django's test
utilities). Each page is requested sequentially through Django's test client (no network):
median and p95 of the server-side time, and the number of queries.

    .venv/bin/python bench/bench_overview.py [--schools 50 300 1000] [--repeat 20]

Writes a Markdown table to stdout and to ``bench/out/overview.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "overview.md"


def _setup() -> None:
    os.environ.setdefault("OPORA_DATA_DIR", tempfile.mkdtemp(prefix="opora-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.web.core.settings")
    import django

    django.setup()


def _territory(size: int) -> tuple[object, int]:
    from django.utils import timezone

    from opora.web.accounts import models as roles
    from opora.web.accounts.services import role_assign, user_create
    from opora.web.analysis.models import DONE, AnalysisRun, RunContext, RunFlag, RunSchoolStat
    from opora.web.schools.services import (
        municipality_get_or_create,
        region_get_or_create,
        school_create,
    )

    region = region_get_or_create(name=f"Область {size}")
    municipality = municipality_get_or_create(region=region, name=f"Округ {size}")
    schools = [school_create(municipality=municipality, key=f"b{size}-{i}",
                             short_name=f"Школа {i}", number=i, microdistrict=f"М{i % 7}")
               for i in range(1, size + 1)]
    run = AnalysisRun.objects.create(scope="municipality", municipality=municipality,
                                     region=region, status=DONE, finished_at=timezone.now(),
                                     run_json={"years_analysed": [2023, 2024, 2025]})
    flags = ("low_results", "adverse_context", "leader", "non_objective", "risk_zone")
    RunFlag.objects.bulk_create([
        RunFlag(run=run, school=s, flag=flags[(i + k) % 5], year=2025,
                evidence="Ниже среднего по региону в 3 из 3 лет; " * 8)
        for i, s in enumerate(schools) for k in range(i % 3)], batch_size=2000)
    RunSchoolStat.objects.bulk_create([
        RunSchoolStat(run=run, school=s, procedure=p, subject=subj, grade=g, year=y,
                      participants=20 + i % 60, mean_pct=40 + (i * 7 + g) % 45,
                      gap_pct=-10 + (i * 3 + y) % 20, gap_low_pct=-15.0, gap_high_pct=5.0,
                      region_mean_pct=60.0, region_sd_pct=18.0, region_source="итог")
        for i, s in enumerate(schools) for y in (2023, 2024, 2025) for p in ("VPR", "OGE")
        for subj in ("rus", "math", "history", "biology") for g in (5, 7)], batch_size=2000)
    RunContext.objects.bulk_create([
        RunContext(run=run, school=s, year=y, context_index=(i % 40) / 10 - 2,
                   result_gap_pct=-5 + i % 10)
        for i, s in enumerate(schools) for y in (2023, 2024, 2025)], batch_size=2000)
    user = user_create(username=f"bench-{size}", password="bench-password-1")
    role_assign(user=user, role=roles.COORDINATOR, municipality=municipality)
    return user, run.pk


def _measure(client: object, url: str, repeat: int,
             headers: dict[str, str]) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat + 1):  # the first request warms imports and caches
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, headers=headers)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times = sorted(times[1:])
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, nargs="+", default=[50, 300, 1000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test.client import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    lines = ["| schools | page | median, ms | p95, ms | queries |", "|---|---|---|---|---|"]
    try:
        for size in args.schools:
            user, run_pk = _territory(size)
            client = Client()
            client.force_login(user)  # type: ignore[arg-type]
            htmx = {"HX-Request": "true"}
            for name, url, headers in (
                    ("overview", "/analysis/", {}),
                    ("overview, filtered", "/analysis/?flag=low_results&procedure=VPR"
                                           "&subject=math&sort=-gap", {}),
                    ("overview fragment (htmx)", "/analysis/?sort=gap", htmx),
                    ("run page", f"/analysis/runs/{run_pk}/", {}),
                    ("XLSX export", "/analysis/export.xlsx", {})):
                median, p95, queries = _measure(client, url, args.repeat, headers)
                lines.append(f"| {size} | {name} | {median:.0f} | {p95:.0f} | {queries} |")
                print(lines[-1], flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    engine = connection.vendor
    text = (f"Overview benchmark ({engine}, sequential, Django test client, "
            f"{args.repeat} requests per page after one warm-up)\n\n" + "\n".join(lines) + "\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
