"""/api/v1/monitoring: the same numbers as the pages, each share with numerator and denominator."""

from __future__ import annotations

from typing import Any

from django.test import Client
from monitoring_data import school_year
from personas import PersonaTestCase

from opora.web.api.tokens import token_create


class MonitoringApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t = school_year(cls)

    def api(self, user: Any, url: str) -> Any:
        token = token_create(user=user, name="тест")[1]
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(url)

    def test_a_schools_values_carry_numerator_and_denominator(self) -> None:
        response = self.api(self.school_admin,
                            f"/api/v1/monitoring/schools/{self.a.pk}/values?to=2025")
        self.assertEqual(response.status_code, 200)
        found = {(v["indicator"], v["year"]): v for v in response.json()["values"]}
        covered = found[("school_teachers_covered_pct", 2025)]
        self.assertEqual((covered["numerator"], covered["denominator"], covered["value"]),
                         (2, 5, 40.0))
        self.assertIsNone(found[("school_teachers_covered", 2025)]["denominator"])

    def test_a_municipalitys_values_and_effectiveness_say_what_they_can(self) -> None:
        values = self.api(self.coordinator,
                          f"/api/v1/monitoring/municipalities/{self.first.pk}/values?to=2025")
        found = {(v["indicator"], v["year"]): v for v in values.json()["values"]}
        self.assertEqual(found[("low_results_vpr", 2025)]["numerator"], 8)
        effect = self.api(self.coordinator,
                          f"/api/v1/monitoring/municipalities/{self.first.pk}/effectiveness")
        rows = effect.json()
        self.assertEqual(rows[0]["effect"], None)
        self.assertTrue(rows[0]["text"].startswith("Недостаточно данных"))
