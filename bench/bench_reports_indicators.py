"""Time to build the indicator tables of the demo municipality (issue 17), per format.

    OPORA_DATA_DIR=/tmp/demo .venv/bin/python bench/bench_reports_indicators.py

Prepares the demo (``prepare_demo``, 45 schools) when the data directory has none, then builds
the municipality's indicator tables of the list's year (its table and one table a school) as the
demo coordinator in DOCX, XLSX and PDF, twice each; prints the first and the best time in
seconds, the number of tables in the DOCX and the machine's load average. The view's threshold
``reports.views.INLINE_SCHOOLS`` (more schools: built in the background) comes from this.
"""

from __future__ import annotations

import io
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

    viewer = Viewer.of(get_user_model().objects.get(username="demo-coordinator"))
    approved = ApprovedList.objects.filter(withdrawn_at__isnull=True).select_related(
        "municipality__region").first()
    assert approved is not None and approved.municipality is not None
    town, year = approved.municipality, approved.year
    print(f"indicators of {town.name}, {year}: "
          f"{viewer.schools().filter(municipality=town).count()} schools")
    for fmt in ("docx", "xlsx", "pdf"):
        times = []
        for _ in range(2):
            start = time.perf_counter()
            built = services.build(viewer=viewer, kind="indicators", fmt=fmt, municipality=town,
                                   year=year)
            times.append(time.perf_counter() - start)
        extra = ""
        if fmt == "docx":
            import docx

            extra = f"   {len(docx.Document(io.BytesIO(built.content)).tables)} tables"
        print(f"{fmt:8s} first {times[0]:6.2f} s   best {min(times):6.2f} s{extra}", flush=True)
    print("load", os.getloadavg())


if __name__ == "__main__":
    main()
