"""The indicator pages: the seeds' table with numerator and denominator, a click to the facts,
the effectiveness page saying «недостаточно данных» when it must, the demo's typed values."""

from __future__ import annotations

from monitoring_data import school_year
from personas import PersonaTestCase

from opora.web.monitoring.demo import ensure_monitoring_demo, wipe_monitoring
from opora.web.monitoring.models import TypedValue


class MonitoringPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t = school_year(cls)

    def test_the_school_table_shows_each_share_with_its_numerator_and_denominator(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/monitoring/schools/{self.a.pk}/", {"to": 2025}).content.decode()
        for words in ("Критерий", "Показатель (индикатор)", "Единица измерения", "2023 год",
                      "2025 год", "40,0 %", "2 из 5", "1 из 6"):
            self.assertIn(words, page)

    def test_a_number_opens_the_teachers_counted_and_those_only_in_the_denominator(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get("/monitoring/facts/", {
            "indicator": "school_teachers_covered_pct", "year": 2025, "school": self.a.pk})
        page = response.content.decode()
        counted, rest = page.split("Только в знаменателе")
        for name in ("T1", "T3"):
            self.assertIn(f"<strong>{name}</strong>", counted)
        for name in ("T2", "T4", "T5"):
            self.assertIn(f"<strong>{name}</strong>", rest)
        self.assertIn("monitoring_visit 2025-04-12", counted)  # the event behind T3

    def test_the_municipality_table_counts_over_the_official_list(self) -> None:
        self.client.force_login(self.methodist)
        page = self.client.get("/monitoring/", {"to": 2025}).content.decode()
        self.assertIn("официальный список 2025 года (1 школ)", page)
        self.assertIn("Доля результатов «2» по ВПР в ШНОР", page)
        self.assertIn("8 из 50", page)

    def test_the_effectiveness_page_says_there_is_not_enough_data(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get("/monitoring/effectiveness/").content.decode()
        self.assertIn("Недостаточно данных", page)
        self.assertIn("недостаточно данных", page)
        # the dynamics beside it: A entered in 2025; its mean gap −7,6 (2024) and −7,4 (2025)
        self.assertIn("Вошедшие в систему в 2025 году", page)
        self.assertIn("−7,6", page)
        self.assertIn("−7,4", page)

    def test_the_demo_types_values_once_for_the_list_schools(self) -> None:
        from opora.web.accounts.services import user_create

        user_create(username="demo-coordinator", password="correct-horse-battery")
        ensure_monitoring_demo()
        made = TypedValue.objects.count()
        self.assertEqual(made, 2 * 3 * 1)  # two indicators × three years × school A
        ensure_monitoring_demo()
        self.assertEqual(TypedValue.objects.count(), made)
        wipe_monitoring()
        self.assertEqual(TypedValue.objects.count(), 0)
