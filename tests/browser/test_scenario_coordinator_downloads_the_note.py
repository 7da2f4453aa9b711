"""The coordinator downloads the year's analytical note in a real Chromium (issue 17).

A generated municipality with its official list approved by the coordinator («приказ № 1»). The
coordinator signs in, follows «Отчёты» in the navigation, and clicks «DOCX» of the note; the file
Chromium saves opens with python-docx and names as many schools on the list as were approved,
the basis of the list, and the sections of other apps with «нет данных». Then the coordinator
publishes the note, and an anonymous visitor finds it on the public МСОКО page.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from PIL import Image

from opora.demo.generator import generate_tables
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.execution import run_execute
from opora.web.analysis.models import AnalysisRun
from opora.web.analysis.official import run_approve, run_years
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "reports-password-1"


def _town_with_an_official_list() -> tuple[Municipality, int, int]:
    assert load_tables(tables=generate_tables(scale="municipality", years=3, seed=9)).ok
    town = Municipality.objects.get()
    coordinator = user_create(username="coordinator", password=PASSWORD)
    role_assign(user=coordinator, role=roles.COORDINATOR, municipality=town)
    run = run_execute(run_id=AnalysisRun.objects.create(
        scope="municipality", municipality=town, region=town.region).pk)
    year = max(run_years(run))
    approved = run_approve(user=coordinator, run=run, year=year, basis="приказ № 1")
    return town, year, approved.inclusions.count()


def test_the_coordinator_downloads_the_note_and_publishes_it(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, tmp_path: Any,
        screenshot: Any) -> None:
    page, log = wide_page
    page.set_default_timeout(120_000)  # a note builds in seconds; the shared CI machine is slower
    town, year, listed = _town_with_an_official_list()
    sign_in(page, site.url, "coordinator", PASSWORD)

    with page.expect_navigation():
        page.click("nav.main-nav a:has-text('Отчёты')")
    assert town.name in page.locator("h1").inner_text()
    screenshot(page, "reports")
    with page.expect_download(timeout=120_000) as download_info:
        page.click("#note a:has-text('DOCX')")
    saved = tmp_path / "справка.docx"
    download_info.value.save_as(saved)
    document = docx.Document(str(saved))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"Всего школ в списке: {listed}." in text
    assert "основание: приказ № 1" in text
    assert "нет данных" in text  # sections of the apps not built yet
    assert len(document.tables[0].rows) == listed + 1  # the header and one row per school

    with page.expect_navigation(timeout=120_000):
        page.click("button:has-text('Опубликовать справку')")
    assert "Опубликовано" in page.locator("body").inner_text()  # built in the background
    page.context.clear_cookies()
    page.goto(f"{site.url}/public/{town.pk}/")
    body = page.locator("body").inner_text()
    assert f"Аналитическая справка — {town.name}, {year}" in body
    screenshot(page, "public_page")
    assert log.exceptions == []
    _first_page_of_the_note(page, town, year, screenshot)


def _first_page_of_the_note(page: Any, town: Municipality, year: int, screenshot: Any) -> None:
    """The note's HTML — the one WeasyPrint lays out as the PDF — drawn by Chromium at the width
    of an A4 page: its first screen is not blank, and with OPORA_SCREENSHOTS=1 it is the picture
    in docs/reports.md."""
    from django.contrib.auth import get_user_model

    from opora.web.accounts.scope import Viewer
    from opora.web.reports.data import note_context
    from opora.web.reports.pdf import render_html

    viewer = Viewer.of(get_user_model().objects.get(username="coordinator"))
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto("about:blank")  # not under the site's CSP, which forbids the report's inline style
    page.set_content(render_html("note", note_context(viewer, town, year)))
    image = Image.open(io.BytesIO(page.screenshot())).convert("L")
    assert sum(image.histogram()[:128]) > 5000  # text, tables and the chart are drawn
    screenshot(page, "report_note_first_page")
