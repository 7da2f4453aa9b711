"""Issue 13 in a real Chromium: the confirmations a person is asked for, and a run page that shows
the results of a run finishing while it is open.

1. A school administrator uploads the school's ВПР form, then a corrected form of the same work:
   the page says what would be replaced (20 participants by 5, counted here from the files) and
   writes nothing until the administrator ticks «Да, это исправленный файл…» and presses
   «Заменить данные».
2. The same administrator types 0,125 into «Оба родителя с высшим образованием»: the passport
   is not saved, the field is marked with the warning; ticked «Значения проверены», it is.
3. The demo coordinator opens a run that is still running: when it finishes, its stage times,
   counts and the comparison with the previous run appear in the page with no reload.

With ``OPORA_SCREENSHOTS=1`` the pages are photographed for the user guide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.models import DONE, RUNNING, AnalysisRun
from opora.web.analysis.services import run_start
from opora.web.context.models import ContextPassport
from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "director-password-1"
VPR = "vpr_protocol_form.xlsx"
DONE_TEXT = "Обработка закончена."


def _director() -> Any:
    region = region_get_or_create(name="Свердловская область")
    town = municipality_get_or_create(region=region, name="Каменск-Уральский городской округ")
    school = school_create(municipality=town, key="edu660001", short_name="СОШ № 1", number=1)
    user = user_create(username="director", password=PASSWORD)
    role_assign(user=user, role=roles.SCHOOL_ADMIN, school=school)
    return school


def _participants(path: Path) -> int:
    return openpyxl.load_workbook(path).worksheets[0].max_row - 1  # a header, then one a row


def _corrected(source: Path, keep: int, target: Path) -> Path:
    book = openpyxl.load_workbook(source)
    for sheet in book.worksheets:
        sheet.delete_rows(2 + keep, sheet.max_row)
    book.save(target)
    return target


def _upload_form(page: Any, base: str, path: Path) -> None:
    page.goto(f"{base}/imports/")
    page.set_input_files("input[name=uploads]", str(path))
    page.select_option("select[name=procedure]", label="ВПР")
    page.select_option("select[name=subject]", label="Русский язык")
    page.fill("input[name=grade]", "4")
    page.fill("input[name=year]", "2025")
    with page.expect_navigation():
        page.click("button:has-text('Загрузить')")
    page.locator(".import-state", has_text=DONE_TEXT).wait_for()


def test_a_corrected_form_and_an_odd_passport_value_are_saved_only_when_confirmed(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any,
        realdata: Path, tmp_path: Path) -> None:
    page, log = wide_page
    school = _director()
    first = _participants(realdata / VPR)
    corrected = _corrected(realdata / VPR, 5, tmp_path / VPR)
    sign_in(page, site.url, "director", PASSWORD)

    _upload_form(page, site.url, realdata / VPR)
    assert "загружен" in page.locator(".entry-result h2").inner_text()
    _upload_form(page, site.url, corrected)
    result = page.locator(".entry-result")
    assert "ждёт подтверждения замены" in result.locator("h2").inner_text()
    summary = result.locator("pre.summary").inner_text()
    assert f"Будут заменены: результаты участников — {first}" in summary, summary
    assert "Из файла будет записано: результаты участников — 5" in summary, summary
    screenshot(page, "import_confirm_replace")
    with page.expect_navigation():  # without the tick nothing changes
        page.click("button:has-text('Заменить данные')")
    assert "без подтверждения ничего не меняется" in page.locator(".flash").inner_text()
    page.check("form.confirm-replace input[name=confirm]")
    with page.expect_navigation():
        page.click("button:has-text('Заменить данные')")
    page.locator(".import-state", has_text=DONE_TEXT).wait_for()
    text = page.locator(".entry-result pre.summary").inner_text()
    assert f"Заменены прежние данные тех же школ и работ: результаты участников — {first}" in text

    page.goto(f"{site.url}/schools/{school.pk}/passport/2024/")
    page.fill("input[name=share_parents_higher_ed]", "0,125")
    with page.expect_navigation():
        page.click("button:has-text('Сохранить')")
    warning = page.locator(".field-warning .warning").inner_text()
    assert "Похоже на долю единицы: 0,125 %" in warning, warning
    assert not ContextPassport.objects.filter(school=school).exists()
    screenshot(page, "passport_warning")
    page.check("input[name=confirm_warnings]")
    with page.expect_navigation():
        page.click("button:has-text('Сохранить')")
    assert ContextPassport.objects.get(school=school).share_parents_higher_ed == 0.125
    assert log.problems() == []


def test_a_run_that_finishes_while_its_page_is_open_shows_its_results_without_a_reload(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any,
        settings: Any) -> None:
    page, log = wide_page
    settings.OPORA_DEMO = True  # as `opora demo` runs
    prepare_demo(migrate=False, years=2)
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.get(username="demo-coordinator")
    municipality = coordinator.role_assignments.get().municipality
    run = run_start(user=coordinator, municipality=municipality)  # the immediate backend runs it
    run.refresh_from_db()
    assert run.status == DONE, run.message
    finished = {"status": DONE, "progress": 100, "stage": "", "finished_at": run.finished_at,
                "message": run.message}
    AnalysisRun.objects.filter(pk=run.pk).update(status=RUNNING, progress=80, stage="load",
                                                 message="Сохранение результатов…")
    loads: list[str] = []
    page.on("load", lambda _: loads.append(page.url))
    sign_in(page, site.url, "demo-coordinator", DEMO_PASSWORD)
    page.goto(f"{site.url}/analysis/runs/{run.pk}/")
    page.locator("#run-status.run-running").wait_for()
    assert page.locator("h2", has_text="Сравнение с предыдущим расчётом").count() == 0
    opened = len(loads)

    AnalysisRun.objects.filter(pk=run.pk).update(**finished)  # the worker's last step
    page.locator("h2", has_text="Сравнение с предыдущим расчётом").wait_for(timeout=15_000)
    assert len(loads) == opened, loads  # brought into the page, not reloaded
    assert page.locator("#run-status.run-done").count() == 1
    times = page.locator("dt", has_text="Время этапов").locator("xpath=following-sibling::dd[1]")
    assert "выгрузка данных — " in times.inner_text()
    # schools of the last year with each flag, not flags (issue 12)
    message = page.locator(".run-message").inner_text()
    assert "Школ по отметкам в " in message and " году: ШНОР — " in message
    screenshot(page, "run_finished")
    assert log.problems() == []
