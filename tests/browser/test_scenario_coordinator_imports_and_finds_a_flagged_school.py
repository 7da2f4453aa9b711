"""A coordinator's day in a real Chromium: upload the real files, run the analysis, read evidence.

The coordinator of «Город Биробиджан» (a municipality of the published ЕГЭ table's region) uploads
the published ЕГЭ table by school, confirms the schools the registry lacks (the page never creates
them silently), uploads the real ВПР form with the hints the page asks for (school, procedure,
subject, grade, year), starts an analysis run under the working group's literal rule, finds a school flagged ШНОР in the overview, opens
its card and reads the evidence. The numbers the evidence must quote are read off the ЕГЭ file
here with openpyxl, not taken from the application.

On PostgreSQL the background tasks run in a real ``opora worker`` process and the test waits for
the finished state that the pages' htmx polling brings in; on SQLite they run at commit time
(see ``site_with_worker`` in conftest.py for why).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.schools.services import municipality_get_or_create, region_get_or_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "coordinator-password-1"
EGE = "ege_by_school_region_sample.xlsx"
VPR = "vpr_protocol_form.xlsx"
DONE = "Обработка закончена."


def _comma(value: float) -> str:
    """One decimal with a decimal comma, as the evidence prints numbers (−15,1; 61,6)."""
    return f"{value:.1f}".replace(".", ",").replace("-", "−")


def _ege_russian_2023(path: Path) -> tuple[float, dict[str, float]]:
    """Sheet «2023» of the published table: the region's mean Russian score (row 10, column I)
    and the mean Russian score (column I) of each school listed under «город Биробиджан» (the
    rows after the town's total row, up to the next municipality's), by the file's spelling."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(workbook["2023"].iter_rows(min_row=10, max_col=9, values_only=True))
    assert rows[0][0] == "ВСЕГО по региону" and rows[1][0] == "город Биробиджан"
    town: dict[str, float] = {}
    for row in rows[2:]:
        if row[0]:  # the next municipality's total row
            break
        town[str(row[1])] = float(row[8])
    return float(rows[0][8]), town


def _coordinator() -> None:
    region = region_get_or_create(name="Еврейская автономная область")
    town = municipality_get_or_create(region=region, name="Город Биробиджан")
    user = user_create(username="birobidzhan", password=PASSWORD)
    role_assign(user=user, role=roles.COORDINATOR, municipality=town)


def _upload(page: Any, base: str, path: Path, choose: dict[str, str] | None = None,
            type_in: dict[str, str] | None = None) -> None:
    """The upload form: the file, hints chosen by their Russian labels or typed in; then wait
    on the job page for its finished state."""
    page.goto(f"{base}/imports/")
    page.set_input_files("input[name=uploads]", str(path))
    for name, label in (choose or {}).items():
        page.select_option(f"select[name={name}]", label=label)
    for name, text in (type_in or {}).items():
        page.fill(f"input[name={name}]", text)
    with page.expect_navigation():
        page.click("button:has-text('Загрузить')")
    page.locator(".import-state", has_text=DONE).wait_for()


def test_coordinator_uploads_real_files_runs_the_analysis_and_reads_a_flagged_schools_evidence(
        site_with_worker: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any,
        realdata: Path) -> None:
    page, log = wide_page
    base = site_with_worker.url
    _coordinator()
    region_mean, town_means = _ege_russian_2023(realdata / EGE)

    page.goto(f"{base}/login/")
    screenshot(page, "login")
    sign_in(page, base, "birobidzhan", PASSWORD)

    # 1. The ЕГЭ table: its town schools are not in the registry yet → offered, not created.
    _upload(page, base, realdata / EGE)
    result = page.locator(".entry-result")
    assert "отклонён" in result.locator("h2").inner_text()
    assert result.locator("ul.unmatched li").count() == len(town_means)  # 11 in the file
    page.check("form.create-schools input[name=confirm]")
    with page.expect_navigation():
        page.click("button:has-text('Создать школы')")
    page.locator(".import-state", has_text=DONE).wait_for()
    summary = page.locator(".entry-result pre.summary").inner_text()
    assert "Созданы новые школы" in summary and "«СОШ № 16» (Город Биробиджан)" in summary

    # 2. The ВПР form has no school, subject, grade or year in it: the hints say them.
    _upload(page, base, realdata / VPR,
            choose={"school": "Гимназия № 1", "procedure": "ВПР", "subject": "Русский язык"},
            type_in={"grade": "4", "year": "2024"})
    assert "загружен" in page.locator(".entry-result h2").inner_text()
    assert "результаты участников — 20" in page.locator(".entry-result pre.summary").inner_text()
    screenshot(page, "import_result")

    # 3. The analysis run, started from its form; the run page says when it is done.
    # With the calibrated default (a gap over 10 p.p. in two years of three, the last included)
    # none of the town's eleven schools is ШНОР in these two files; the coordinator runs the
    # working group's literal rule (seed 001), shipped as a configuration (issue 12).
    page.goto(f"{base}/analysis/runs/")
    page.select_option("select[name=configuration]", value="preset:seed001")
    with page.expect_navigation():
        page.click("button:has-text('Запустить расчёт')")
    page.locator("#run-status.run-done").wait_for(timeout=90_000)
    with page.expect_navigation():
        page.click("text=Открыть обзор по этому расчёту")

    # 4. The overview: counts on top, a school flagged ШНОР in the list.
    page.locator("table.overview").wait_for()
    # ШНОР by either rule or persistently low is one ШНОР in the count (issue 12)
    flagged = page.locator("table.overview tbody tr", has=page.locator(
        ".flag-low_results, .flag-failing_share, .flag-persistently_low"))
    assert flagged.count() >= 1
    assert page.locator(".count-low_results .count-value").inner_text() == str(flagged.count())
    row = flagged.first
    name = row.locator("td").nth(1).inner_text().strip()

    # 5. Its card: the evidence quotes the region's mean and the school's own mean from the file.
    with page.expect_navigation():
        row.locator("td a").first.click()
    assert name in page.locator("h1").inner_text()
    flag = page.locator(".flag-list details", has=page.locator(".flag-low_results")).first
    flag.locator("summary").click()
    evidence = flag.locator(".evidence").inner_text()
    [school_mean] = [m for full, m in town_means.items() if f'"{name}"' in full]
    assert _comma(region_mean) in evidence, evidence  # 61,56 → «61,6»
    assert _comma(school_mean) in evidence, evidence
    assert _comma(school_mean - region_mean) in evidence, evidence  # the gap, also by hand
    assert log.problems() == []
    if connection.vendor == "postgresql":  # the tasks went through the queue and the worker
        queued = DBTaskResult.objects.values_list("task_path", flat=True)
        assert sorted(p.rsplit(".", 1)[1] for p in queued) == [
            "execute_analysis_run", "process_upload", "process_upload", "rerun_entry"]
        assert not DBTaskResult.objects.failed().exists()
