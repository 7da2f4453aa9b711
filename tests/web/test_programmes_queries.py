"""Query budgets of the programmes' tables (issue 15): the campaign's schools × documents and the
heat map of schools × factors cost the same number of queries for two schools and for four when
they are built; built once, they are read from the cache until a programme record changes
(programmes/versions.py)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from programmes_data import ProgrammesTestCase, pdf

from opora.web.programmes.services.documents import campaign_create, document_upload
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.schools.services import school_create


class QueryBudgetTests(ProgrammesTestCase):
    def _count(self, url: str, **params: object) -> int:
        """The queries of building the page's body (the cache emptied first)."""
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def _more_schools(self) -> list[object]:
        found = []
        for n in (5, 6):
            school = school_create(municipality=self.first, key=f"E{n}",
                                   short_name=f"СОШ № {n}", number=n)
            profile_save(by=self.coordinator, school=school, year=2026,
                         values={"low_motivation": FactorValue("medium", 40.0)})
            found.append(school)
        return found

    def test_the_campaign_table_costs_the_same_for_two_schools_and_four(self) -> None:
        self.client.force_login(self.coordinator)
        two = self._count(f"/programmes/campaigns/{self.campaign.pk}/")
        wider = campaign_create(by=self.coordinator, municipality=self.first, title="Шире",
                                year=2026, slots=["development_concept", "gia_plan"],
                                schools=[self.a, self.b, *self._more_schools()],
                                deadline=dt.date(2026, 11, 15))
        document_upload(by=self.school_admin, campaign=wider, school=self.a,
                        slot="gia_plan", upload=pdf("план.pdf"))
        self.client.get(f"/programmes/campaigns/{wider.pk}/")  # sessions, caches warmed
        self.assertEqual(self._count(f"/programmes/campaigns/{wider.pk}/"), two)

    def test_the_heat_map_costs_the_same_for_two_schools_and_four(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.get("/programmes/profiles/", {"year": 2026})
        two = self._count("/programmes/profiles/", year=2026)
        self._more_schools()
        self.assertEqual(self._count("/programmes/profiles/", year=2026), two)

    def test_a_built_heat_map_is_read_from_the_cache_and_a_saved_profile_shows_at_once(
            self) -> None:
        self.client.force_login(self.coordinator)
        built = self._count("/programmes/profiles/", year=2026)
        with CaptureQueriesContext(connection) as again:
            self.client.get("/programmes/profiles/", {"year": 2026})
        self.assertLess(len(again), built)
        profile_save(by=self.coordinator, school=self.b, year=2026,
                     values={"low_motivation": FactorValue("high", 87.0)})
        page = self.client.get("/programmes/profiles/", {"year": 2026}).content.decode()
        self.assertIn('title="Высокий">87</td>', page)

    def test_the_cached_monitoring_counts_the_new_day(self) -> None:
        """«Просрочено» moves at midnight without a write: the day is part of the key."""
        from unittest import mock

        self.client.force_login(self.coordinator)
        for day in (dt.date(2026, 11, 1), dt.date(2026, 11, 2)):
            with mock.patch("django.utils.timezone.localdate", return_value=day):
                page = self.client.get("/programmes/monitoring/").content.decode()
            self.assertIn(f"на {day:%d.%m.%Y}", page)


def test_every_programme_record_with_history_moves_the_version_of_the_cached_tables() -> None:
    """A new kind of programme record must join ``AUDITED`` (or, without history, ``COLUMNS``),
    or its changes would not show on the cached tables."""
    from django.apps import apps

    from opora.web.programmes.versions import AUDITED, COLUMNS

    listed = set(AUDITED) | {model for model, _ in COLUMNS}
    missing = [m.__name__ for m in apps.get_app_config("programmes").get_models()
               if not m.__name__.startswith("Historical") and "history" in vars(m)
               and m not in listed]
    assert missing == []
