"""The analytical note, the protocol and a school's profile as files: opened with python-docx and
openpyxl and checked against numbers computed by hand from ``reports_data.py``."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import openpyxl
from django.test import override_settings
from personas import PersonaTestCase
from PIL import Image
from reports_data import EVIDENCE, STATS, YEAR, make_report_data

from opora.numbers import number, percent_points
from opora.web.charts.typology import typology_chart
from opora.web.reports import sections
from opora.web.reports.images import chart_png
from opora.web.reports.models import ReportJob

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


class NoteTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.data = make_report_data(cls)

    def _get(self, url: str, user: Any = None) -> Any:
        self.client.force_login(user or self.coordinator)
        return self.client.get(url)

    def _note(self, fmt: str = "docx", user: Any = None) -> Any:
        return self._get(f"/reports/note.{fmt}?municipality={self.first.pk}&year={YEAR}", user)

    def test_the_note_lists_the_approved_schools_with_their_evidence(self) -> None:
        response = self._note()
        self.assertEqual(response.status_code, 200)
        document = docx.Document(io.BytesIO(response.content))
        text = _text(document)
        self.assertIn("Всего школ в списке: 1.", text)
        self.assertIn("основание: приказ № 5", text)
        self.assertIn("ШНОР: 1", text)
        schools = _rows(document.tables[0])
        self.assertEqual(schools[1][:4], ["1", "СОШ № 1", "ШНОР", str(YEAR)])
        self.assertIn(EVIDENCE, schools[1][5])
        self.assertNotIn("СОШ № 2", [row[1] for row in schools])  # a leader is not on the list

    def test_the_note_shows_each_result_against_the_region_computed_from_the_fixture(self) -> None:
        document = docx.Document(io.BytesIO(self._note().content))
        results = _rows(document.tables[1])[1:]
        self.assertEqual(len(results), len(STATS))
        by_subject = {row[2]: row for row in results}
        for subject, n, mean, region in STATS:
            name = {"rus": "Русский язык", "math": "Математика"}[subject]
            row = by_subject[name]
            self.assertEqual(row[4], str(n))
            self.assertEqual(row[5], number(mean))
            self.assertEqual(row[6], number(region))
            self.assertEqual(row[7], percent_points(mean - region))
        self.assertEqual(by_subject["Русский язык"][7], "−10,0 п. п.")

    def test_the_note_counts_the_support_and_the_teachers_of_the_listed_schools(self) -> None:
        document = docx.Document(io.BytesIO(self._note().content))
        text = _text(document)
        self.assertIn("Период: 01.09.2024 — 31.08.2025. Проведено мероприятий: 2. Помощь "
                      "получили школ: 1 из 1. Педагогов охвачено: 2.", text)
        # three teachers, one diagnosed: 1 / 3 = 33,3 %
        self.assertIn("Педагогов в школах списка: 3; прошли диагностику профессиональных "
                      f"дефицитов: 1 ({number(100 / 3)} %)", text)
        support = _rows(document.tables[2])
        self.assertEqual(support[1][0], "СОШ № 1")
        self.assertEqual(support[1][4], "2")  # events
        self.assertEqual(support[1][6], "01.10.2024")  # the last visit

    def test_sections_whose_app_gives_nothing_say_no_data(self) -> None:
        for name in sections.SECTIONS:
            self.addCleanup(sections.restore, name,
                            sections.register(name, lambda town, year: None))
        text = _text(docx.Document(io.BytesIO(self._note().content)))
        for title in sections.SECTIONS.values():
            self.assertIn(title, text)
        self.assertGreaterEqual(text.count(sections.NO_DATA), len(sections.SECTIONS))

    def test_a_registered_section_fills_the_note_and_the_protocols_decisions(self) -> None:
        previous = sections.register("decisions", lambda town, year: [
            {"text": f"Провести методический десант в СОШ № 1 ({town.name}, {year})"}])
        self.addCleanup(sections.restore, "decisions", previous)
        expected = f"Провести методический десант в СОШ № 1 (Первый, {YEAR})"
        self.assertIn(expected, _text(docx.Document(io.BytesIO(self._note().content))))
        protocol = self._get(f"/reports/protocol.docx?municipality={self.first.pk}&year={YEAR}"
                             "&number=12&chair=Иванова И. И.")
        text = _text(docx.Document(io.BytesIO(protocol.content)))
        self.assertIn(f"1. {expected}", text)
        self.assertIn("№ 12", text)
        self.assertIn("Председатель: Иванова И. И.", text)

    def test_a_failing_section_says_no_data_and_the_note_is_still_built(self) -> None:
        def broken(town: Any, year: int) -> list[dict[str, Any]]:
            raise RuntimeError("half-built")

        previous = sections.register("indicators", broken)
        self.addCleanup(sections.restore, "indicators", previous)
        with self.assertLogs("opora.web.reports.sections", level="ERROR"):
            response = self._note()
        self.assertEqual(response.status_code, 200)

    def test_the_protocol_has_the_agenda_heard_decided_and_two_appendices(self) -> None:
        response = self._get(f"/reports/protocol.docx?municipality={self.first.pk}&year={YEAR}")
        document = docx.Document(io.BytesIO(response.content))
        text = _text(document)
        for part in ("Повестка.", "Слушали:", "Решили:", "Приложение 1.", "Приложение 2."):
            self.assertIn(part, text)
        self.assertIn("утверждён список школ: 1 (основание: приказ № 5)", text)
        self.assertEqual(_rows(document.tables[0])[1][1], "СОШ № 1")

    def test_a_year_without_an_approved_list_is_refused_in_russian(self) -> None:
        response = self._get(f"/reports/note.docx?municipality={self.first.pk}&year=2019")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Нет утверждённого списка школ за 2019 год",
                            status_code=404)

    def test_another_municipality_is_not_found_for_the_coordinator(self) -> None:
        response = self._get(f"/reports/note.docx?municipality={self.second.pk}&year={YEAR}")
        self.assertEqual(response.status_code, 404)

    def test_the_xlsx_has_units_in_its_headers_and_the_same_numbers(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(self._note("xlsx").content))
        sheet = book["Результаты"]
        headers = [c.value for c in sheet[3]]
        self.assertIn("Участников, чел.", headers)
        self.assertIn("Разница с регионом, п. п.", headers)
        values = {row[2]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(values["Русский язык"][4], 20)
        self.assertEqual(values["Русский язык"][7], "−10,0 п. п.")
        self.assertEqual(sheet.freeze_panes, "A4")

    def test_a_formula_like_school_name_stays_text_in_the_xlsx(self) -> None:
        self.a.short_name = "=HYPERLINK(\"http://x\")"
        self.a.save(update_fields=["short_name"])
        sheet = openpyxl.load_workbook(io.BytesIO(self._note("xlsx").content))["Школы списка"]
        cell = sheet.cell(row=4, column=2)
        self.assertEqual(cell.value, "=HYPERLINK(\"http://x\")")
        self.assertEqual(cell.data_type, "s")

    def test_the_pdf_is_a_pdf_of_several_kilobytes(self) -> None:
        response = self._note("pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertGreater(len(response.content), 5000)

    def test_the_school_profile_is_the_card_as_a_document(self) -> None:
        response = self._get(f"/reports/schools/{self.a.pk}/profile.docx", self.school_admin)
        document = docx.Document(io.BytesIO(response.content))
        text = _text(document)
        self.assertIn(f"{YEAR}: в списке: ШНОР, с {YEAR} г.", text)
        self.assertIn(EVIDENCE, _rows(document.tables[0])[1][2])
        self.assertIn("Педагогов: 3; прошли диагностику профессиональных дефицитов: 1", text)

    def test_a_school_outside_the_scope_is_not_found(self) -> None:
        response = self._get(f"/reports/schools/{self.b.pk}/profile.docx", self.school_admin)
        self.assertEqual(response.status_code, 404)


class ChartImageTests(PersonaTestCase):
    def test_a_chart_renders_offline_to_a_png_that_is_not_blank(self) -> None:
        points = [{"school_key": "a", "school_name": "СОШ № 1 «Ёлочка»", "context_index": 0.4,
                   "result_pct": -3.5, "category": "low_results", "category_label": "ШНОР",
                   "flags_text": "ШНОР"}]
        png = chart_png(typology_chart(points, title="Контекст и результат", y_rule=0))
        image = Image.open(io.BytesIO(png)).convert("L")
        self.assertGreater(image.width, 400)
        dark = sum(image.histogram()[:128])
        self.assertGreater(dark, 500)  # axes, labels and the title are drawn


@override_settings(TASKS=IMMEDIATE)
class BackgroundBuildTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_report_data(cls)

    def test_a_protocol_built_in_the_background_is_downloaded_from_its_page(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/reports/jobs/", {
                "municipality": self.first.pk, "year": YEAR, "kind": "protocol",
                "fmt": "docx", "number": "7", "attendees": "Иванова И. И.\nПетров П. П."})
        job = ReportJob.objects.get()
        self.assertRedirects(response, f"/reports/jobs/{job.pk}/")
        self.assertContains(self.client.get(f"/reports/jobs/{job.pk}/"), "готов")
        document = docx.Document(io.BytesIO(
            self.client.get(f"/reports/jobs/{job.pk}/file/").content))
        text = _text(document)
        self.assertIn("№ 7", text)
        self.assertIn("Петров П. П.", text)

    def test_a_year_without_a_list_fails_the_job_in_russian(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/reports/jobs/", {"municipality": self.first.pk, "year": 2019,
                                                "kind": "note", "fmt": "xlsx"})
        job = ReportJob.objects.get()
        page = self.client.get(f"/reports/jobs/{job.pk}/")
        self.assertContains(page, "Нет утверждённого списка школ за 2019 год")
        self.assertEqual(self.client.get(f"/reports/jobs/{job.pk}/file/").status_code, 404)

    def test_another_users_job_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/reports/jobs/", {"municipality": self.first.pk, "year": YEAR,
                                                "kind": "note", "fmt": "xlsx"})
        job = ReportJob.objects.get()
        self.client.force_login(self.methodist)
        self.assertEqual(self.client.get(f"/reports/jobs/{job.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/reports/jobs/{job.pk}/file/").status_code, 404)


class DecisionsSectionTests(PersonaTestCase):
    """The sections the decisions app fills (``reports/providers.py``)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_report_data(cls)
        from opora.web.decisions.models.meetings import Decision, Meeting, MeetingItem
        from opora.web.decisions.models.recommendations import Recommendation

        meeting = Meeting.objects.create(municipality=cls.first, date=dt.date(2024, 11, 5),
                                         agenda="Итоги мониторинга")
        item = MeetingItem.objects.create(meeting=meeting, position=1, heard="Итоги",
                                          decided="Провести десант")
        Decision.objects.create(item=item, text="Провести методический десант в СОШ № 1",
                                responsible="ИМЦ", deadline=dt.date(2024, 12, 20))
        Recommendation.objects.create(municipality=cls.first, school=cls.a, year=YEAR,
                                      addressee="teachers", text="Разобрать задания ВПР",
                                      status="accepted", deadline=dt.date(2025, 3, 1),
                                      responsible="ИМЦ")
        Recommendation.objects.create(municipality=cls.first, year=YEAR, addressee="teachers",
                                      text="Не принятое предложение", status="suggested")

    def test_recorded_decisions_and_accepted_recommendations_fill_their_sections(self) -> None:
        self.client.force_login(self.coordinator)
        url = f"/reports/note.docx?municipality={self.first.pk}&year={YEAR}"
        text = _text(docx.Document(io.BytesIO(self.client.get(url).content)))
        self.assertIn("Провести методический десант в СОШ № 1 — ИМЦ, срок 20.12.2024", text)
        self.assertIn("Разобрать задания ВПР (СОШ № 1)", text)
        self.assertNotIn("Не принятое предложение", text)
        protocol = self.client.get(f"/reports/protocol.docx?municipality={self.first.pk}"
                                   f"&year={YEAR}")
        self.assertIn("1. Провести методический десант в СОШ № 1",
                      _text(docx.Document(io.BytesIO(protocol.content))))


class CommandLineTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_report_data(cls)

    def test_the_command_writes_the_note_and_exits_2_in_russian_without_data(self) -> None:
        import tempfile
        from pathlib import Path

        from django.core.management import call_command

        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "справка.xlsx"
            call_command("report", "note", "--municipality", "Первый", "--year", str(YEAR),
                         "--out", str(out), stdout=io.StringIO())
            sheet = openpyxl.load_workbook(out)["Школы списка"]
            self.assertEqual(sheet.cell(row=4, column=2).value, "СОШ № 1")
            missing = Path(folder) / "нет.docx"
            errors = io.StringIO()
            with self.assertRaises(SystemExit) as exit_:
                call_command("report", "note", "--municipality", "Первый", "--year", "2019",
                             "--out", str(missing), stderr=errors)
            self.assertEqual(exit_.exception.code, 2)
            self.assertIn("Нет утверждённого списка школ за 2019 год", errors.getvalue())
            self.assertFalse(missing.exists())
            with self.assertRaises(SystemExit):
                call_command("report", "school", "--school", "нет-такой", "--out",
                             str(missing), stderr=io.StringIO())
