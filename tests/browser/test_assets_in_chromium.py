"""The vendored front-end assets work in a real Chromium under the site's strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import SCREENSHOTS, PageLog, StaticSite
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from opora.web.charts import (
    funnel_chart,
    school_works_chart,
    spec_json,
    typology_chart,
    typology_gap_points,
)

pytestmark = pytest.mark.browser

YEAR = 2024
SCRIPTS = ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js",
           "vendor/htmx.min.js", "opora/htmx-csrf.js", "opora/charts.js")


def _region(count: int = 24) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A small made-up region: context rows (index and gap to the region), a few flags."""
    context, flags = [], []
    for i in range(count):
        key = f"s{i:02d}"
        context.append({"school_key": key, "year": YEAR, "context_index": (i - 12) / 6.5,
                        "result_gap_pct": 12.0 - 1.1 * i + (7.5 if i % 5 == 0 else 0.0)})
        for code in (["low_results"] if i > 18 else []) + (["adverse_context"] if i > 15 else []):
            flags.append({"school_key": key, "year": YEAR, "flag": code,
                          "school_name": f"МОУ СОШ № {i + 1}"})
    return context, flags


def _typology(context: list[dict[str, Any]], flags: list[dict[str, Any]],
              title: str) -> dict[str, Any]:
    """The typology as the overview draws it: y is the gap to the region, its line at 0."""
    return typology_chart(typology_gap_points(context, flags, year=YEAR), title=title, y_rule=0,
                          y_title="Разница с регионом, п. п.")


def _page(site: StaticSite, name: str, body: str) -> str:
    scripts = "\n".join(f'<script src="static/{s}"></script>' for s in SCRIPTS)
    html = f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Проверка</title>
<meta name="csrf-token" content="token-from-the-page">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="static/opora/charts.css">
<link rel="stylesheet" href="static/opora/htmx-indicators.css">
{scripts}</head><body>{body}</body></html>"""
    (site.root / name).write_text(html, encoding="utf-8")
    return site.url(name)


def _spec_script(spec: dict[str, Any], target: str = "") -> str:
    text = spec_json(spec)
    attribute = f' data-target="{target}"' if target else ""
    return f'<script type="application/json" class="vega-spec"{attribute}>{text}</script>'


MARKS = ".vega-chart svg .mark-symbol.role-mark path"
#: the interval bars of a by-year chart; axis ticks and grid lines are ``.mark-rule`` too, so the
#: data's rules are told apart by their role
INTERVALS = "svg .mark-rule.role-mark line"


def _wait_for(page: Any, selector: str, count: int) -> None:
    """Wait until ``count`` elements match; polled by Playwright's own isolated script, because
    ``wait_for_function`` evaluates strings in the page, which the strict CSP forbids."""
    page.locator(selector).nth(count - 1).wait_for(state="attached", timeout=15_000)


def _open(page: Any, url: str, log: PageLog, marks: int) -> None:
    page.goto(url)
    try:
        _wait_for(page, MARKS, marks)
    except PlaywrightTimeout:
        pytest.fail(f"the chart was not drawn; the page said: {log.problems()}")
    assert log.problems() == []


def test_typology_chart_is_drawn_under_the_strict_csp_with_russian_labels_and_decimal_commas(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    browser_page, log = page
    context, flags = _region()
    spec = _typology(context, flags, "Типология школ: контекст и результат, 2024")
    url = _page(static_site, "typology.html", _spec_script(spec))
    _open(browser_page, url, log, marks=24)
    symbols = browser_page.locator(MARKS)
    assert symbols.count() == len(spec["datasets"]["points"]) == 24
    texts = browser_page.locator(".vega-chart svg text").all_text_contents()
    assert "Индекс неблагоприятности контекста (выше — неблагоприятнее)" in texts
    assert "ШНОР и ШНСУ" in texts
    ticks = [t for t in texts if any(ch.isdigit() for ch in t)]
    assert any("," in t for t in ticks), ticks
    assert not any("." in t for t in ticks), ticks
    browser_page.screenshot(path=str(SCREENSHOTS / "chart_typology.png"), full_page=True)


def test_tooltip_of_a_point_names_the_school_in_russian_with_a_decimal_comma(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    browser_page, log = page
    context = [{"school_key": "a", "year": YEAR, "context_index": 0.25, "result_gap_pct": 7.5}]
    flags = [{"school_key": "a", "year": YEAR, "flag": "low_results",
              "school_name": "МОУ СОШ № 7 </script><b>&amp;"}]
    spec = _typology(context, flags, "Одна школа")
    url = _page(static_site, "tooltip.html", _spec_script(spec))
    _open(browser_page, url, log, marks=1)
    browser_page.locator(MARKS).first.hover(force=True)
    tooltip = browser_page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(timeout=5_000)
    text = tooltip.inner_text()
    assert "МОУ СОШ № 7 </script><b>&amp;" in text  # the name is text, not markup
    assert "7,5" in text and "0,25" in text and "ШНОР" in text
    assert "null" not in text  # every line of the tooltip has a value
    assert log.problems() == []
    browser_page.screenshot(path=str(SCREENSHOTS / "chart_tooltip.png"))


def test_funnel_and_year_charts_are_drawn_into_their_targets_without_errors(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    browser_page, log = page
    funnel = funnel_chart(
        [{"school_key": f"s{i}", "school_name": f"Школа {i}", "participants": 10 + 9 * i,
          "gap_pct": (-1) ** i * (20.0 - i), "region_sd_pct": 18.0} for i in range(12)],
        title="Воронка: русский язык, 4 класс, 2024")
    years = school_works_chart(
        [("Математика", [{"year": y, "mean_pct": 50.0 + d, "region_mean_pct": 55.0,
                          "gap_low_pct": d - 9.0, "gap_high_pct": d - 1.0, "participants": 25}
                         for y, d in ((2022, 0.0), (2023, 2.5), (2024, 4.0))])],
        title="МОУ СОШ № 7: математика по годам")
    body = ('<div id="funnel" class="vega-chart"></div><div id="years" class="vega-chart"></div>'
            + _spec_script(funnel, "funnel") + _spec_script(years, "years"))
    url = _page(static_site, "funnel.html", body)
    _open(browser_page, url, log, marks=12)
    _wait_for(browser_page, f"#years {INTERVALS}", 3)
    assert browser_page.locator(f"#years {INTERVALS}").count() == 3  # one interval a year
    assert browser_page.locator("#funnel svg .mark-area path").count() == 2
    assert log.problems() == []
    browser_page.screenshot(path=str(SCREENSHOTS / "chart_funnel_years.png"), full_page=True)


def test_the_card_chart_draws_a_panel_per_work_with_its_title(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    browser_page, log = page
    works = [(f"ВПР, математика, {grade} класс",
              [{"year": y, "mean_pct": 40.0 + grade + d, "region_mean_pct": 55.0,
                "gap_low_pct": d - 20.0, "gap_high_pct": d - 10.0, "participants": 25}
               for y, d in ((2023, 0.0), (2024, 3.0))]) for grade in (4, 5, 6, 7)]
    spec = school_works_chart(works, title="Результат школы и региона по годам")
    url = _page(static_site, "works.html",
                '<div id="works" class="vega-chart"></div>' + _spec_script(spec, "works"))
    browser_page.goto(url)
    _wait_for(browser_page, f"#works {INTERVALS}", 8)
    assert browser_page.locator(f"#works {INTERVALS}").count() == 8  # 4 panels × 2 years
    text = browser_page.locator("#works svg").text_content() or ""
    assert all(f"{grade} класс" in text for grade in (4, 5, 6, 7)), text
    assert log.problems() == []


def test_a_wide_interval_is_cut_at_the_scale_with_open_ends_and_a_small_cell_says_so(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    """Issue 13: the axis stays 0–100 %; the −200…300 % interval is one rule up to both ends
    with two arrowheads; the two-participant year has no rule, only «мало участников»."""
    browser_page, log = page
    rows = [{"year": 2023, "mean_pct": 30.0, "region_mean_pct": 58.0, "gap_low_pct": -70.0,
             "gap_high_pct": 14.0, "participants": 2, "status": "too_few"},
            {"year": 2024, "mean_pct": 45.0, "region_mean_pct": 60.0, "gap_low_pct": -260.0,
             "gap_high_pct": 240.0, "participants": 12, "status": "same"}]
    spec = school_works_chart([("ВПР, математика, 5 класс", rows)], title="По годам")
    url = _page(static_site, "clipped.html",
                '<div id="clipped" class="vega-chart"></div>' + _spec_script(spec, "clipped"))
    browser_page.goto(url)
    _wait_for(browser_page, f"#clipped {INTERVALS}", 1)
    assert browser_page.locator(f"#clipped {INTERVALS}").count() == 1  # not for the small year
    texts = browser_page.locator("#clipped svg text").all_text_contents()
    assert "мало участников" in texts, texts
    numbers = [int(t.replace("\u2212", "-")) for t in texts
               if t.strip().lstrip("\u2212-").isdigit()]
    ticks = [n for n in numbers if n not in (2023, 2024)]  # the years are the x axis
    assert max(ticks) == 100 and min(ticks) == 0, ticks  # no −200 or 300 on the axis
    assert browser_page.locator("#clipped svg .mark-symbol.role-mark path").count() >= 2 + 4
    assert log.problems() == []


def test_htmx_2_loads_and_sends_the_page_csrf_token_with_a_post(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    browser_page, log = page
    seen: list[dict[str, str]] = []

    def answer(route: Any) -> None:
        seen.append(route.request.headers)
        route.fulfill(status=200, content_type="text/html; charset=utf-8",
                      body="<p id='answer'>Сохранено</p>")

    browser_page.route("**/save", answer)
    body = ('<button id="go" hx-post="save" hx-target="#out" hx-swap="innerHTML">Сохранить'
            '</button><div id="out"></div>')
    browser_page.goto(_page(static_site, "htmx.html", body))
    assert browser_page.evaluate("window.htmx.version").startswith("2.")
    browser_page.click("#go")
    browser_page.locator("#answer").wait_for(timeout=5_000)
    assert [h.get("x-csrftoken") for h in seen] == ["token-from-the-page"]
    assert log.problems() == []


def test_a_chart_in_a_fragment_swapped_in_by_htmx_is_drawn_too(
        page: tuple[Any, PageLog], static_site: StaticSite) -> None:
    browser_page, log = page
    spec = _typology(*_region(count=9), "Фрагмент")
    fragment = f"<h2 id='swapped'>Обновлено</h2>{_spec_script(spec)}"
    browser_page.route("**/overview-chart", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=fragment))
    body = ('<button id="go" hx-get="overview-chart" hx-target="#out">Показать</button>'
            '<div id="out"></div>')
    browser_page.goto(_page(static_site, "fragment.html", body))
    assert browser_page.locator(MARKS).count() == 0
    browser_page.click("#go")
    _wait_for(browser_page, f"#out {MARKS}", 9)
    assert browser_page.locator(MARKS).count() == 9
    assert log.problems() == []
