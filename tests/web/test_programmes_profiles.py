"""Risk profiles (issue 15): loaded from the questionnaire table (all rows or none), typed in the
form, shown on the school's page with the change between years, and the coordinator's heat map
of schools × factors filtered by a flag of the official list."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from django.utils import timezone
from programmes_data import ProgrammesTestCase

from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, RunFlag
from opora.web.programmes.models import RiskProfile
from opora.web.programmes.profile_import import import_risk_profiles

HEADER = ["Логин ФИС ОКО", "Наименование школы", "Год", "Фактор риска", "Уровень риска",
          "Балл (0–100)"]


def _table(rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = Path(tempfile.mkdtemp()) / "профили.xlsx"
    book.save(path)
    return path


class ImportTests(ProgrammesTestCase):
    def test_a_table_by_russian_names_becomes_profiles_of_its_year(self) -> None:
        result = import_risk_profiles(by=self.coordinator, municipality=self.first, path=_table([
            ["A", "СОШ № 1", 2024, "Низкая учебная мотивация обучающихся", "высокий", 77],
            ["A", "СОШ № 1", 2024, "low_equipment", "низкий", 10],
            ["B", "СОШ № 2", 2024, "Дефицит педагогических кадров", "средний", None]]))
        self.assertIsNotNone(result.record, result)
        levels = {(p.school.key, x.factor): (x.level, x.score) for p in
                  RiskProfile.objects.filter(year=2024) for x in p.levels.all()}
        self.assertEqual(levels, {("A", "low_motivation"): ("high", 77.0),
                                  ("A", "low_equipment"): ("low", 10.0),
                                  ("B", "teacher_shortage"): ("medium", None)})

    def test_a_score_of_140_rejects_the_whole_table_with_its_place(self) -> None:
        result = import_risk_profiles(by=self.coordinator, municipality=self.first, path=_table([
            ["A", "СОШ № 1", 2024, "low_equipment", "низкий", 10],
            ["B", "СОШ № 2", 2024, "low_motivation", "высокий", 140]]))
        self.assertEqual(result.record.status, "failed")
        self.assertTrue(any(p["row"] == 3 and "больше 100" in p["message"]
                            for p in result.record.problems), result.record.problems)
        self.assertFalse(RiskProfile.objects.filter(year=2024).exists())

    def test_a_school_of_another_municipality_is_refused(self) -> None:
        result = import_risk_profiles(by=self.coordinator, municipality=self.first, path=_table([
            ["C", "СОШ № 3", 2024, "low_equipment", "низкий", 10]]))
        self.assertEqual(result.record.status, "failed")
        self.assertFalse(RiskProfile.objects.filter(year=2024).exists())


class PagesTests(ProgrammesTestCase):
    def test_the_school_page_shows_the_change_of_each_factor_between_the_years(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.get(f"/programmes/schools/{self.a.pk}/")
        changes = {c.factor: (c.before.level if c.before else None, c.after.level if c.after
                              else None, c.score_change) for c in response.context["changes"]}
        # 2025: motivation medium 60, shortage medium 50; 2026: 81 high, 55 medium, equipment 20
        self.assertEqual(changes["low_motivation"], ("medium", "high", 21.0))
        self.assertEqual(changes["teacher_shortage"], ("medium", "medium", 5.0))
        self.assertEqual(changes["low_equipment"], (None, "low", None))
        self.assertIn("vega-spec", response.content.decode())

    def test_the_heat_map_filtered_by_a_flag_keeps_only_the_flagged_school(self) -> None:
        run = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                         region=self.first.region, status=DONE, progress=100,
                                         finished_at=timezone.now(), rules_version="test")
        ApprovedList.objects.create(run=run, year=2025, region=self.first.region,
                                    municipality=self.first, basis="приказ № 1")
        RunFlag.objects.create(run=run, school=self.a, flag="low_results", year=2025,
                               evidence="ниже региона")
        self.client.force_login(self.coordinator)
        everyone = self.client.get("/programmes/profiles/", {"year": 2026}).context["map"]
        self.assertEqual([r.school.key for r in everyone.rows], ["A", "B"])
        self.assertEqual(everyone.rows[0].high, 1)  # low motivation
        flagged = self.client.get("/programmes/profiles/", {"year": 2026,
                                                            "flag": "low_results"})
        self.assertEqual([r.school.key for r in flagged.context["map"].rows], ["A"])
        self.assertNotIn("low_results", flagged.content.decode().replace(
            'value="low_results"', ""))

    def test_the_form_refuses_a_score_over_100_at_its_row_and_saves_nothing(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.post(f"/programmes/schools/{self.a.pk}/profile/2024/", {
            "level_low_motivation": "high", "score_low_motivation": "140"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(RiskProfile.objects.filter(year=2024).exists())
