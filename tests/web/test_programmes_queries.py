"""Query budgets of the programmes' tables (issue 15): the campaign's schools × documents and the
heat map of schools × factors cost the same number of queries for two schools and for four."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from programmes_data import ProgrammesTestCase, pdf

from opora.web.programmes.services.documents import campaign_create, document_upload
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.schools.services import school_create


class QueryBudgetTests(ProgrammesTestCase):
    def _count(self, url: str, **params: object) -> int:
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
