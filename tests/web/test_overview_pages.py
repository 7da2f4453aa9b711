"""The overview's table in pages of 50 schools (issue 18, «Pages under load»).

The counts and charts stay over every school; the pages keep the natural order of names and the
filters in the URL; a page costs the same queries as the first.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from personas import FAST_HASHER
from test_overview_queries import _territory

from opora.web.analysis.overview import PAGE_SIZE


def _schools(html: str) -> list[str]:
    return re.findall(r'<tr data-school="([^"]+)"', html)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class OverviewPageTests(TestCase):
    user: Any

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user, _ = _territory(PAGE_SIZE + 12, "Город")

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def test_the_first_page_shows_50_schools_and_the_counts_cover_all_of_them(self) -> None:
        page = self.client.get("/analysis/")
        html = page.content.decode()
        assert _schools(html) == [f"Город-{i}" for i in range(1, PAGE_SIZE + 1)]
        counts = {c["code"]: c["value"] for c in page.context["counts"]}
        assert counts["leader"] == 41  # i % 3 != 0 for i = 0…61: 41 of 62
        assert "Школы 1–50 из 62" in html
        assert 'href="?sort=name&amp;page=2"' in html

    def test_the_second_page_continues_in_natural_order(self) -> None:
        html = self.client.get("/analysis/", {"page": "2"}).content.decode()
        # «Школа 51» after «Школа 50», not «Школа 6» after «Школа 59»
        assert _schools(html) == [f"Город-{i}" for i in range(PAGE_SIZE + 1, PAGE_SIZE + 13)]
        assert "Школы 51–62 из 62" in html

    def test_a_filter_and_a_sort_stay_in_the_page_links_and_sorting_starts_again(self) -> None:
        html = self.client.get("/analysis/", {"sort": "-name"}).content.decode()
        assert _schools(html)[0] == f"Город-{PAGE_SIZE + 12}"
        assert 'href="?sort=-name&amp;page=2"' in html
        second = self.client.get("/analysis/", {"sort": "-name", "page": "2"}).content.decode()
        assert _schools(second)[-1] == "Город-1"
        assert 'href="?sort=name"' in second  # a new sort: from the first page
        only_leaders = self.client.get("/analysis/", {"flag": "leader"}).content.decode()
        assert len(_schools(only_leaders)) == 41
        assert "Страницы:" not in only_leaders  # 41 schools: one page

    def test_a_page_beyond_the_last_shows_the_last_and_a_page_costs_the_same_queries(self) -> None:
        assert _schools(self.client.get("/analysis/", {"page": "9"}).content.decode())[-1] == (
            f"Город-{PAGE_SIZE + 12}")
        with CaptureQueriesContext(connection) as first:
            self.client.get("/analysis/", {"grade": "5"})
        with CaptureQueriesContext(connection) as second:
            self.client.get("/analysis/", {"grade": "5", "page": "2"})
        assert len(first) == len(second)

    def test_the_charts_come_after_the_list_from_the_same_url_and_cover_every_school(
            self) -> None:
        html = self.client.get("/analysis/", {"page": "2"}).content.decode()
        assert "vega-spec" not in html
        url = re.search(r'class="overview-charts" hx-get="([^"]+)"', html)
        assert url is not None
        charts = self.client.get("/analysis/" + url.group(1).replace("&amp;", "&"),
                                 HTTP_HX_REQUEST="true").content.decode()
        assert "<table" not in charts and "<html" not in charts
        assert charts.count("vega-spec") == 2  # the typology and the funnel
        assert charts.count("Город-") >= PAGE_SIZE + 12  # both pages' schools are charted
