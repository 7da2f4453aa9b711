"""The demo municipality in a real Chromium: overview with counts and both charts, a card with
evidence — checked in the page and, with ``OPORA_SCREENSHOTS=1``, photographed for the README.

Data: :func:`opora.web.demo.prepare_demo` (the generated municipality and the demo users, exactly
what ``opora demo`` shows), two years to keep the test short; the analysis run is started by
the service the runs page calls (the page itself is exercised in the coordinator scenario).
The expected counts are taken from the stored flags by a plain query, not from the page's code.
"""

from __future__ import annotations

from typing import Any

import pytest

from opora.glossary import LOW_RESULTS_FLAGS
from opora.web.analysis.models import DONE, RunFlag
from opora.web.analysis.services import run_start
from opora.web.demo import DEMO_PASSWORD, prepare_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKS = ".overview-charts svg .mark-symbol.role-mark path"


def _demo_run() -> Any:
    """The demo data, then one analysis run of the demo coordinator's municipality."""
    from django.contrib.auth import get_user_model

    prepare_demo(migrate=False, years=2)
    coordinator = get_user_model().objects.get(username="demo-coordinator")
    municipality = coordinator.role_assignments.get().municipality
    run = run_start(user=coordinator, municipality=municipality)  # the immediate backend runs it
    run.refresh_from_db()
    assert run.status == DONE, run.message
    return run


def test_overview_draws_counts_and_both_charts_and_a_card_shows_its_evidence(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any,
        settings: Any) -> None:
    page, log = wide_page
    settings.OPORA_DEMO = True  # as `opora demo` runs: the pages say «демо-данные» once
    run = _demo_run()
    # the overview counts schools of the run's last year with either ШНОР rule or persistently
    # low (issue 12: schools, not flags)
    low = set(RunFlag.objects.filter(run=run, flag__in=LOW_RESULTS_FLAGS,
                                     year=run.run_json["years_analysed"][-1])
              .values_list("school_id", flat=True))
    assert low, "the demo municipality is generated with ШНОР schools"
    sign_in(page, site.url, "demo-coordinator", DEMO_PASSWORD)

    page.goto(f"{site.url}/analysis/")
    assert page.locator(".count-low_results .count-value").inner_text() == str(len(low))
    page.locator(MARKS).first.wait_for(state="attached")  # the typology and funnel points
    assert page.locator(".overview-charts .vega-chart svg, .overview-charts svg").count() >= 2
    screenshot(page, "overview")
    screenshot(page, "overview_charts", page.locator(".overview-charts"))
    opened = page.locator("table.overview details.flag-evidence",
                          has=page.locator(".flag-low_results")).first
    opened.locator("summary").click()  # the evidence is loaded when the flag is opened
    opened.locator("p.evidence:not(:empty)").first.wait_for()
    assert "Ниже среднего по региону" in opened.locator("p.evidence").first.inner_text()

    page.goto(f"{site.url}/schools/{min(low)}/")
    flag = page.locator(".flag-list details", has=page.locator(".flag-low_results")).first
    flag.locator("summary").click()
    evidence = flag.locator(".evidence").inner_text()
    assert "Ниже среднего по региону" in evidence and "," in evidence, evidence
    page.locator(".results-details summary").click()  # the loaded results come when opened
    page.locator(".results-details table.results-table tbody tr").first.wait_for()
    page.locator(".analysis-sections h2").first.evaluate("h => h.scrollIntoView()")
    screenshot(page, "school_card")
    assert log.problems() == []
