"""The effectiveness page of the demo (three years, ``opora demo``'s default), in a real Chromium
(issue 16, «Quality»: «the effectiveness page of the demo shows the injected effect with its
interval»): the coordinator opens «Анализ эффективности»; the row of all works of the schools
that entered two years before the last shows the effect and its 95 % interval, the interval
holds the effect the generator injected and lies above zero (the row is marked detected), and
the chart of that year is drawn.
"""

from __future__ import annotations

from typing import Any

import pytest

from opora.numbers import number
from opora.web.demo import DEMO_PASSWORD, demo_tables, prepare_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _value(text: str) -> float:
    return float(text.strip().replace("−", "-").replace(",", "."))


def test_the_demo_effectiveness_page_shows_the_injected_effect_with_its_interval(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any) -> None:
    page, log = wide_page
    base = site.url
    prepare_demo(migrate=False, years=3)
    truth = demo_tables(years=3, seed=1)["truth"].to_pylist()
    injected = [r for r in truth if r["property"] == "support_effect"]
    year, strength = injected[0]["year"], injected[0]["strength"]
    sign_in(page, base, "demo-coordinator", DEMO_PASSWORD)

    page.goto(f"{base}/monitoring/effectiveness/")
    row = page.locator("table.effectiveness tbody tr").filter(
        has_text="Все работы").filter(has_text=str(year)).first
    cells = row.locator("td")
    assert cells.nth(0).inner_text().strip() == str(year)
    assert int(cells.nth(2).inner_text()) == len(injected)
    effect = _value(cells.nth(6).inner_text())
    low, high = (_value(x) for x in cells.nth(7).inner_text().split("…"))
    assert low <= strength <= high and low > 0
    assert "detected" in (row.get_attribute("class") or "")
    assert (f"на {number(effect, 1)} п. п. (95 % интервал: от {number(low, 1)} до "
            f"{number(high, 1)} п. п.)") in cells.nth(8).inner_text()
    page.wait_for_selector(".vega-chart svg", timeout=15_000)
    assert page.locator(".vega-chart-error").count() == 0
    assert log.problems() == []
