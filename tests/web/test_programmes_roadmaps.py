"""Roadmaps (issue 15): the completeness checks the school sees while it edits, sending for
review, the approved versions and the changes after approval, the XLSX round trip and its
refusals (a share of 140 %, a measure without a deadline: nothing half-saved)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from programmes_data import ProgrammesTestCase, complete_roadmap

from opora.web.programmes.checks import completeness
from opora.web.programmes.models import Measure, RoadmapImport, RoadmapVersion
from opora.web.programmes.roadmap_import import export_roadmap, import_roadmap
from opora.web.programmes.selectors.roadmaps import tree
from opora.web.programmes.services.roadmap_versions import roadmap_approve
from opora.web.programmes.services.roadmaps import (
    goal_save,
    indicator_save,
    measure_save,
    problem_save,
    roadmap_checks,
    roadmap_create,
    roadmap_submit,
    task_save,
)


def _workbook_with(content: bytes, sheet: str, header: str, value: object) -> Path:
    """The exported workbook with the cell under ``header`` on ``sheet`` replaced in the first
    row that has data (the export may put hints under the headers)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    ws = book[sheet]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == header:
                below = next(r for r in range(cell.row + 1, ws.max_row + 1)
                             if ws.cell(row=r, column=1).value
                             and ws.cell(row=r, column=cell.column).value is not None)
                ws.cell(row=below, column=cell.column).value = value  # None clears it
                folder = Path(tempfile.mkdtemp())
                book.save(folder / "дорожная-карта.xlsx")
                return folder / "дорожная-карта.xlsx"
    raise AssertionError(f"нет столбца «{header}» на листе «{sheet}»")


class CompletenessTests(ProgrammesTestCase):
    def test_a_high_risk_factor_that_no_goal_addresses_is_named_by_the_check(self) -> None:
        roadmap = roadmap_create(by=self.school_admin, school=self.a, title="Черновик",
                                 first_year=2026, last_year=2027)
        problem_save(by=self.school_admin, roadmap=roadmap, title="Кадры",
                     risk_factors=["teacher_shortage"], flags=[])
        _, found = roadmap_checks(roadmap)
        # A's 2026 profile: low motivation is its only high factor
        self.assertEqual([c.message for c in found],
                         ["фактор высокого риска «Низкая учебная мотивация обучающихся» не закрыт "
                          "ни одной целью: свяжите его с проблемой и поставьте цель"])

    def test_a_measure_without_a_deadline_or_a_responsible_person_is_named(self) -> None:
        roadmap = self.items["task"].goal.problem.roadmap
        measure = Measure.objects.create(task=self.items["task"], title="Без срока")
        found = completeness(roadmap, tree(roadmap), [])
        self.assertEqual([(c.where, c.message, c.anchor) for c in found], [
            ("Мероприятие «Без срока»", "нет срока", f"measure-{measure.pk}"),
            ("Мероприятие «Без срока»", "не назначен ответственный", f"measure-{measure.pk}")])

    def test_a_deadline_after_the_programme_period_is_named(self) -> None:
        roadmap, items = complete_roadmap(self.coordinator, self.b, self.teachers["B"][0])
        measure_save(by=self.coordinator, task=items["task"], title="Позже срока",
                     deadline=dt.date(2029, 1, 15), responsible=self.teachers["B"][0])
        _, found = roadmap_checks(roadmap)
        self.assertEqual([c.message for c in found],
                         ["срок 15.01.2029 — вне периода программы (2026–2028)"])

    def test_a_share_of_140_percent_is_refused_at_its_field(self) -> None:
        _, items = complete_roadmap(self.coordinator, self.b, self.teachers["B"][0])
        with self.assertRaises(ValidationError) as caught:
            indicator_save(by=self.coordinator, task=items["task"], name="Доля",
                           unit="percent", direction="increase", baseline=140.0,
                           baseline_year=2025, targets={2026: 150.0}, source="")
        self.assertIn("baseline", caught.exception.message_dict)

    def test_a_roadmap_with_problems_is_not_sent_for_review(self) -> None:
        roadmap = roadmap_create(by=self.school_admin, school=self.a, title="Черновик",
                                 first_year=2026, last_year=2026)
        problem = problem_save(by=self.school_admin, roadmap=roadmap, title="Мотивация",
                               risk_factors=["low_motivation"], flags=[])
        goal = goal_save(by=self.school_admin, problem=problem, title="Цель")
        task = task_save(by=self.school_admin, goal=goal, title="Задача")
        measure_save(by=self.school_admin, task=task, title="Без срока", deadline=None,
                     responsible=None)
        with self.assertRaises(ValidationError) as caught:
            roadmap_submit(by=self.school_admin, roadmap=roadmap)
        self.assertIn("Мероприятие «Без срока»: нет срока", caught.exception.messages[0])
        roadmap.refresh_from_db()
        self.assertEqual(roadmap.status, "draft")

    def test_the_school_sees_the_complaints_on_its_roadmap_page_with_links_to_the_place(
            self) -> None:
        roadmap = roadmap_create(by=self.school_admin, school=self.a, title="Черновик",
                                 first_year=2026, last_year=2026)
        self.client.force_login(self.school_admin)
        page = self.client.get(f"/programmes/roadmaps/{roadmap.pk}/").content.decode()
        self.assertIn("Перед отправкой на экспертизу исправьте (1)", page)
        self.assertIn("Низкая учебная мотивация", page)


class VersionTests(ProgrammesTestCase):
    def test_an_approved_roadmap_keeps_its_plan_and_shows_a_renamed_measure_as_changed(
            self) -> None:
        roadmap, items = complete_roadmap(self.coordinator, self.b, self.teachers["B"][0])
        version = roadmap_approve(by=self.coordinator, roadmap=roadmap, basis="приказ № 5")
        self.assertEqual(version.number, 1)
        measure_save(by=self.coordinator, task=items["task"], title="Открыть три кружка",
                     deadline=dt.date(2026, 11, 1), responsible=self.teachers["B"][0],
                     measure=items["early"])
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/programmes/roadmaps/{roadmap.pk}/")
        changes = page.context["changes"]
        self.assertEqual([(c.kind, c.title, c.change, c.details) for c in changes], [
            ("measure", "Открыть три кружка", "изменено",
             ["формулировка: Открыть два кружка → Открыть три кружка"])])
        self.assertEqual(RoadmapVersion.objects.get(pk=version.pk).snapshot["problems"][0]
                         ["goals"][0]["tasks"][0]["measures"][0]["title"], "Открыть два кружка")


class XlsxTests(ProgrammesTestCase):
    def setUp(self) -> None:
        self.roadmap, self.b_items = complete_roadmap(self.coordinator, self.b,
                                                      self.teachers["B"][0])
        self.content = export_roadmap(self.roadmap)

    def _load(self, path: Path) -> RoadmapImport:
        return import_roadmap(by=self.coordinator, roadmap=self.roadmap, path=path)

    def test_the_exported_workbook_loads_back_unchanged(self) -> None:
        folder = Path(tempfile.mkdtemp())
        (folder / "карта.xlsx").write_bytes(self.content)
        record = self._load(folder / "карта.xlsx")
        self.assertEqual(record.status, "succeeded", record.problems)
        # problem, goal, task, indicator and two measures: six records, none rewritten
        self.assertEqual(record.counts.get("unchanged"), 6)
        self.assertFalse(record.counts.get("created") or record.counts.get("updated"))

    def test_a_share_of_140_percent_in_the_workbook_rejects_it_whole(self) -> None:
        before = self.b_items["indicator"].baseline
        record = self._load(_workbook_with(self.content, "Показатели", "Базовое значение", 140))
        self.assertEqual(record.status, "failed")
        self.assertTrue(any("100" in p["message"] for p in record.problems), record.problems)
        self.b_items["indicator"].refresh_from_db()
        self.assertEqual(self.b_items["indicator"].baseline, before)

    def test_a_measure_without_a_deadline_in_the_workbook_rejects_it_whole(self) -> None:
        record = self._load(_workbook_with(self.content, "Мероприятия", "Срок (ДД.ММ.ГГГГ)",
                                           None))
        self.assertEqual(record.status, "failed")
        self.assertTrue(any("Срок (ДД.ММ.ГГГГ)" in p["message"] and p["sheet"] == "Мероприятия"
                            for p in record.problems), record.problems)
        self.b_items["early"].refresh_from_db()
        self.assertEqual(self.b_items["early"].deadline, dt.date(2026, 11, 1))
