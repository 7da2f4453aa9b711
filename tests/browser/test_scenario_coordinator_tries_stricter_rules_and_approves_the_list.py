"""List governance in a real Chromium (issue 12): a trial run changes nothing for the school until
the coordinator approves a list.

A generated municipality has an official list of its last year (approved by the coordinator,
«приказ № 1»). The coordinator starts a trial run with a stricter configuration; the school
administrator's card still shows the official list. The coordinator opens the trial run, moves the
what-if's settings and checks them, saves them as a named configuration, starts a run with them,
and approves that run as the list of the year («приказ № 77»). Now the school's card shows the
new list. The background tasks run at commit time (see ``site`` in conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from opora.demo.generator import generate_tables
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.execution import run_execute
from opora.web.analysis.models import AnalysisRun, RuleSet
from opora.web.analysis.official import run_approve, run_years
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "governance-password-1"


def _town_with_an_official_list() -> tuple[Municipality, Any]:
    assert load_tables(tables=generate_tables(scale="municipality", years=3, seed=9)).ok
    town = Municipality.objects.get()
    coordinator = user_create(username="coordinator", password=PASSWORD)
    role_assign(user=coordinator, role=roles.COORDINATOR, municipality=town)
    school = town.schools.order_by("number").first()
    director = user_create(username="director", password=PASSWORD)
    role_assign(user=director, role=roles.SCHOOL_ADMIN, school=school)
    run = run_execute(run_id=AnalysisRun.objects.create(
        scope="municipality", municipality=town, region=town.region).pk)
    run_approve(user=coordinator, run=run, year=max(run_years(run)), basis="приказ № 1")
    return town, school


def test_a_trial_run_changes_nothing_until_the_coordinator_approves_a_new_list(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any) -> None:
    page, log = wide_page
    _, school = _town_with_an_official_list()

    # the coordinator tries stricter rules
    sign_in(page, site.url, "coordinator", PASSWORD)
    page.goto(f"{site.url}/analysis/runs/")
    page.fill("#id_rules_text", "[identification]\nmin_low_years = 3\n")
    with page.expect_navigation():
        page.click("button:has-text('Запустить расчёт')")
    trial = AnalysisRun.objects.order_by("-pk").first()
    assert trial is not None and trial.rules_text.startswith("[identification]")
    page.goto(f"{site.url}/analysis/runs/{trial.pk}/")
    assert page.locator(".draft-badge").first.is_visible()

    # the school still sees the official list
    page.click("button:has-text('Выйти')")
    sign_in(page, site.url, "director", PASSWORD)
    page.goto(f"{site.url}/schools/{school.pk}/")
    card = page.locator("main").inner_text()
    assert "приказ № 1" in card and "черновик" not in card

    # the what-if on the trial run, saved, run for real, approved
    page.click("button:has-text('Выйти')")
    sign_in(page, site.url, "coordinator", PASSWORD)
    page.goto(f"{site.url}/analysis/runs/{trial.pk}/")
    page.fill("input[name=min_gap_pct]", "2")
    page.fill("input[name=min_participants]", "10")
    page.click("button:has-text('Проверить')")
    page.locator(".whatif-counts").wait_for()
    screenshot(page, "whatif", page.locator("section.whatif"))
    page.fill("#whatif-name", "строже: 3 из 3, от 2 п. п.")
    with page.expect_navigation():
        page.click("button:has-text('Сохранить набор правил')")
    assert RuleSet.objects.get().name == "строже: 3 из 3, от 2 п. п."
    page.fill("input[name=min_gap_pct]", "2")
    page.fill("input[name=min_participants]", "10")
    page.click("button:has-text('Проверить')")
    page.locator(".whatif-counts").wait_for()
    with page.expect_navigation():
        page.click("button:has-text('Запустить расчёт с этими настройками')")
    final = AnalysisRun.objects.order_by("-pk").first()
    assert final is not None and final.pk != trial.pk and "min_gap_pct = 2.0" in final.rules_text
    page.fill("#id_basis", "приказ № 77 от 02.12.2026")
    with page.expect_navigation():
        page.click("button:has-text('Утвердить как официальный список')")
    assert "утверждён как официальный список" in page.locator("main").inner_text()
    screenshot(page, "official_list", page.locator("section.official"))

    # now the school sees the new list
    page.click("button:has-text('Выйти')")
    sign_in(page, site.url, "director", PASSWORD)
    page.goto(f"{site.url}/schools/{school.pk}/")
    card = page.locator("main").inner_text()
    assert "приказ № 77 от 02.12.2026" in card
    assert log.problems() == []
