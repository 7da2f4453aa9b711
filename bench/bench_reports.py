"""Time to build the analytical note of the demo municipality (issue 17), per format.

    OPORA_DATA_DIR=/tmp/demo .venv/bin/python bench/bench_reports.py

Prepares the demo (``prepare_demo``: 45 schools, the official list of 2025 with 18 schools, a
year of support) when the data directory has none, then builds the note of 2025 as the demo
coordinator: the context (all queries), DOCX (with the typology chart drawn by vl-convert), XLSX
and PDF (WeasyPrint), each three times; prints the best and the first (cold) time in seconds.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.web.core.settings")


def main() -> None:
    from opora.web.demo import _setup_django, prepare_demo

    _setup_django()
    prepare_demo()
    from django.contrib.auth import get_user_model

    from opora.web.accounts.scope import Viewer
    from opora.web.analysis.models import ApprovedList
    from opora.web.reports import services
    from opora.web.reports.data import note_context

    viewer = Viewer.of(get_user_model().objects.get(username="demo-coordinator"))
    approved = ApprovedList.objects.filter(withdrawn_at__isnull=True).select_related(
        "municipality__region").first()
    assert approved is not None and approved.municipality is not None
    town, year = approved.municipality, approved.year
    steps = {"context": lambda: note_context(viewer, town, year)}
    for fmt in ("docx", "xlsx", "pdf"):
        steps[fmt] = (lambda f: lambda: services.build(viewer=viewer, kind="note", fmt=f,
                                                       municipality=town, year=year))(fmt)
    print(f"note of {town.name}, {year}: {approved.inclusions.count()} schools on the list")
    for name, step in steps.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        print(f"{name:8s} first {times[0]:6.2f} s   best {min(times):6.2f} s")


if __name__ == "__main__":
    main()
