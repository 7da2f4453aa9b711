"""School names in natural order everywhere (issue 13): «СОШ № 2» before «СОШ № 10».

The overview, the run comparison and the XLSX export sorted names character by character, so
«СОШ № 10» came before «СОШ № 2». The expected orders are written out by hand.
"""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, RunFlag
from opora.web.core.exports import flags_to_xlsx
from opora.web.core.ordering import natural_key
from opora.web.schools.services import school_create


def test_digit_runs_compare_as_numbers_and_text_ignores_case_and_yo() -> None:
    names = ["СОШ № 10", "сош № 2", "Гимназия № 48", "СОШ № 1", "Лицей № 9", "СОШ №3",
             "Ёлкинская ООШ"]
    assert sorted(names, key=natural_key) == [
        "Гимназия № 48", "Ёлкинская ООШ", "Лицей № 9", "СОШ № 1", "сош № 2", "СОШ №3",
        "СОШ № 10"]


def test_the_export_lists_schools_naturally() -> None:
    rows = [{"school_key": k, "school_name": n, "municipality": "Первый", "flag": "leader",
             "year": 2024, "evidence": "выше региона"}
            for k, n in (("X", "СОШ № 10"), ("Y", "СОШ № 2"), ("Z", "СОШ № 1"))]
    sheet = openpyxl.load_workbook(io.BytesIO(flags_to_xlsx(
        rows, title="Обзор", run_label="№ 1"))).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True) if row[1]]
    assert names == ["СОШ № 1", "СОШ № 2", "СОШ № 10"]


class NaturalOrderPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tenth = school_create(municipality=cls.first, key="J", short_name="СОШ № 10",
                                  number=10)
        now = timezone.now()
        cls.before = AnalysisRun.objects.create(
            scope="municipality", municipality=cls.first, region=cls.first.region, status=DONE,
            progress=100, finished_at=now - timedelta(hours=1), run_json={})
        cls.after = AnalysisRun.objects.create(
            scope="municipality", municipality=cls.first, region=cls.first.region, status=DONE,
            progress=100, finished_at=now, run_json={})
        RunFlag.objects.bulk_create([RunFlag(run=cls.after, school=s, flag="low_results",
                                             year=2024, evidence="ниже региона")
                                     for s in (cls.tenth, cls.b, cls.a)])

    def test_the_overview_lists_schools_by_name_naturally(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get("/analysis/", {"run": self.after.pk})
        names = [row.school.short_name for row in page.context["rows"]]
        self.assertEqual(names, ["СОШ № 1", "СОШ № 2", "СОШ № 10"])

    def test_the_run_comparison_names_the_schools_that_entered_naturally(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/analysis/runs/{self.after.pk}/")
        [low] = [c for c in page.context["comparison"] if c["flag"] == "low_results"]
        self.assertEqual([name for _, name in low["entered"]], ["СОШ № 1", "СОШ № 2", "СОШ № 10"])

    def test_the_apis_flags_of_a_run_come_in_natural_order_of_names(self) -> None:
        from django.test import Client

        from opora.web.api.tokens import token_create

        _, token = token_create(user=self.coordinator, name="порядок")
        response = Client().get(f"/api/v1/runs/{self.after.pk}/flags",
                                HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([f["school_key"] for f in response.json()["items"]], ["A", "B", "J"])
