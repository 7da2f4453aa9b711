"""The note's indicators and effectiveness sections, the indicator tables and a filled expert
sheet as documents (issue 17): opened with python-docx and openpyxl, their numbers compared with
the API's answer for the same data and with numbers counted by hand from ``monitoring_data.py``
and ``programmes_data.py``; missing or foreign data refused in Russian, nothing written."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
from django.core.management import call_command
from django.test import Client
from monitoring_data import school_year
from personas import PersonaTestCase
from programmes_data import ProgrammesTestCase
from reports_data import built_in_background

from opora.numbers import number
from opora.web.analysis.models import (
    CATEGORY_LOW,
    DONE,
    AnalysisRun,
    ApprovedList,
    Inclusion,
    RunSchoolStat,
)
from opora.web.api.tokens import token_create
from opora.web.monitoring.catalogue import CURRENT
from opora.web.programmes.services.reviews import sheet_save
from opora.web.reports import services
from opora.web.reports.docx import check_template
from opora.web.reports.models import ReportTemplate
from opora.web.schools.services import school_create

HEADERS = ["Критерий", "Показатель (индикатор)", "Единица измерения", "2023 год", "2024 год",
           "2025 год"]
BY_NAME = {i.name_ru: i for i in CURRENT.indicators}


def _text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _indicator_tables(document: Any) -> list[list[list[str]]]:
    return [_rows(t) for t in document.tables if _rows(t)[0][:3] == HEADERS[:3]]


def _api_text(unit: str, found: dict[str, Any] | None) -> str:
    """What a cell must say for the API's value (its numerator and denominator)."""
    if found is None:
        return "нет данных"
    if unit == "yes_no":
        return "да" if found["numerator"] else "нет"
    if found["denominator"] is not None:
        if found["value"] is None:  # as the page: the empty denominator shown
            return "нет данных (0 из 0)" if found["denominator"] == 0 else "нет данных"
        return f"{number(found['value'], 1)} % ({found['numerator']} из {found['denominator']})"
    return str(found["numerator"])


class IndicatorReportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t = school_year(cls)

    def api(self, user: Any, url: str) -> Any:
        token = token_create(user=user, name="тест")[1]
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(url)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _get(self, url: str, user: Any = None) -> Any:
        self.client.force_login(user or self.coordinator)
        return self.client.get(url)

    def _docx(self, url: str, user: Any = None) -> Any:
        response = self._get(url, user)
        self.assertEqual(response.status_code, 200, response.content[:300])
        return docx.Document(io.BytesIO(response.content))

    def _assert_table_equals_api(self, table: list[list[str]], values: dict[str, Any]) -> None:
        self.assertEqual(table[0], HEADERS)
        found = {(v["indicator"], v["year"]): v for v in values["values"]}
        self.assertEqual(values["years"], [2023, 2024, 2025])
        for row in table[1:]:
            ind = BY_NAME[row[1]]
            self.assertEqual(row[2], ind.unit_word)
            for column, year in enumerate(values["years"], 3):
                self.assertEqual(row[column], _api_text(ind.unit, found.get((ind.code, year))),
                                 f"{ind.code} {year}")

    def test_the_notes_indicators_are_a_three_year_table_with_the_apis_numbers(self) -> None:
        document = self._docx(f"/reports/note.docx?municipality={self.first.pk}&year=2025")
        self.assertIn("Показатели системы работы со ШНОР и их динамика", _text(document))
        [table] = _indicator_tables(document)
        values = self.api(self.coordinator,
                          f"/api/v1/monitoring/municipalities/{self.first.pk}/values?to=2025")
        self.assertEqual(len(table) - 1, len(CURRENT.of_level("municipality")))
        self._assert_table_equals_api(table, values)
        covered = next(r for r in table if r[1] == BY_NAME_CODE["low_teachers_covered"])
        # A (the list of 2025; 2023 and 2024 have no list before them, so the earliest one):
        # staff at the end of 2023 and 2024 T1–T6, none covered in 2023, T1 (10.10.2024) in
        # 2024; end of 2025 T1–T5 (T6 left), covered T1 (05.03) and T3 (12.04), T2 absent, T4's
        # round table cancelled → 2 из 5
        self.assertEqual(covered[3:], ["0,0 % (0 из 6)", "16,7 % (1 из 6)", "40,0 % (2 из 5)"])
        self.assertEqual(covered[0], "Оказание методической помощи")

    def test_the_notes_effectiveness_section_says_what_the_effectiveness_page_says(self) -> None:
        text = _text(self._docx(f"/reports/note.docx?municipality={self.first.pk}&year=2025"))
        rows = self.api(self.coordinator,
                        f"/api/v1/monitoring/municipalities/{self.first.pk}/effectiveness")
        self.assertTrue(rows)
        for row in rows:
            self.assertIn(row["text"], text)
        # A entered in 2025 and only A has results: no school to compare it with
        self.assertIn("Недостаточно данных по всем работам: школ, вошедших в систему в 2025 году",
                      text)
        self.assertIn("школ для сравнения — 0", text)
        effect = text.split("Анализ эффективности принятых мер", 1)[1]
        self.assertNotIn("нет данных", effect.split("\n")[1])

    def test_the_notes_xlsx_has_a_sheet_of_indicators_with_years_in_the_headers(self) -> None:
        response = self._get(f"/reports/note.xlsx?municipality={self.first.pk}&year=2025")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Показатели"]
        self.assertEqual([c.value for c in sheet[3]], ["Критерий", *HEADERS[1:]])
        rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(rows[BY_NAME_CODE["low_teachers_covered"]][5], "40,0 % (2 из 5)")

    def test_the_indicator_tables_give_the_municipality_and_each_school_as_the_api(self) -> None:
        document = self._docx(f"/reports/indicators.docx?municipality={self.first.pk}&year=2025")
        text = _text(document)
        self.assertIn("Первый (Северная область), 2023–2025 годы", text)
        town, school_a, school_b = _indicator_tables(document)
        self._assert_table_equals_api(town, self.api(
            self.coordinator, f"/api/v1/monitoring/municipalities/{self.first.pk}/values?to=2025"))
        self._assert_table_equals_api(school_a, self.api(
            self.coordinator, f"/api/v1/monitoring/schools/{self.a.pk}/values?to=2025"))
        self._assert_table_equals_api(school_b, self.api(
            self.coordinator, f"/api/v1/monitoring/schools/{self.b.pk}/values?to=2025"))
        headings = [p.text for p in document.paragraphs if p.text.startswith("Показатели школы")]
        self.assertEqual(headings, ["Показатели школы: СОШ № 1", "Показатели школы: СОШ № 2"])
        covered = next(r for r in school_a if r[1] == BY_NAME_CODE["school_teachers_covered_pct"])
        self.assertEqual(covered[5], "40,0 % (2 из 5)")
        pair = next(r for r in school_a if r[1] == BY_NAME_CODE["school_network_partnership"])
        self.assertEqual(pair[4:], ["да", "да"])  # the pair A–B agreed on 01.09.2024

    def test_a_school_administrator_gets_their_schools_table_and_nothing_else(self) -> None:
        document = self._docx(f"/reports/schools/{self.a.pk}/indicators.docx?year=2025",
                              self.school_admin)
        [table] = _indicator_tables(document)
        self._assert_table_equals_api(table, self.api(
            self.school_admin, f"/api/v1/monitoring/schools/{self.a.pk}/values?to=2025"))
        self.assertEqual(self._get(f"/reports/schools/{self.b.pk}/indicators.docx?year=2025",
                                   self.school_admin).status_code, 404)
        self.assertEqual(self._get(f"/reports/indicators.docx?municipality={self.first.pk}"
                                   "&year=2025", self.school_admin).status_code, 404)
        self.assertEqual(self._get(f"/reports/indicators.docx?municipality={self.second.pk}"
                                   "&year=2025").status_code, 404)

    def test_the_indicator_tables_as_pdf_and_xlsx(self) -> None:
        pdf = built_in_background(
            self, f"/reports/indicators.pdf?municipality={self.first.pk}&year=2025",
            self.coordinator)
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        book = openpyxl.load_workbook(io.BytesIO(self._get(
            f"/reports/indicators.xlsx?municipality={self.first.pk}&year=2025").content))
        self.assertEqual(book.sheetnames, ["Муниципалитет", "Школы"])
        schools = list(book["Школы"].iter_rows(min_row=4, values_only=True))
        row = next(r for r in schools if r[0] == "СОШ № 1"
                   and r[2] == BY_NAME_CODE["school_teachers_covered_pct"])
        self.assertEqual(row[4:], ("0,0 % (0 из 6)", "16,7 % (1 из 6)", "40,0 % (2 из 5)"))

    def test_a_year_with_no_facts_is_refused_in_russian(self) -> None:
        response = self._get(f"/reports/indicators.docx?municipality={self.first.pk}&year=2010")
        self.assertContains(response, "За 2010 год нет данных показателей для «Первый»",
                            status_code=404)

    def test_the_monitoring_pages_link_the_tables_as_documents(self) -> None:
        page = self._get(f"/monitoring/?municipality={self.first.pk}&to=2025")
        self.assertContains(page, f"/reports/indicators.docx?municipality={self.first.pk}"
                                  "&amp;year=2025")
        page = self._get(f"/monitoring/schools/{self.a.pk}/?to=2025", self.school_admin)
        self.assertContains(page, f"/reports/schools/{self.a.pk}/indicators.pdf?year=2025")

    def test_the_command_writes_the_tables_and_exits_2_without_data_writing_nothing(
            self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "показатели.xlsx"
            call_command("report", "indicators", "--municipality", "Первый", "--year", "2025",
                         "--school", "A", "--out", str(out), stdout=io.StringIO())
            sheet = openpyxl.load_workbook(out)["Школы"]
            self.assertEqual({r[0] for r in sheet.iter_rows(min_row=4, values_only=True)},
                             {"СОШ № 1"})
            missing = Path(folder) / "нет.docx"
            errors = io.StringIO()
            with self.assertRaises(SystemExit) as exit_:
                call_command("report", "indicators", "--municipality", "Первый", "--year",
                             "2010", "--out", str(missing), stderr=errors)
            self.assertEqual(exit_.exception.code, 2)
            self.assertIn("За 2010 год нет данных показателей", errors.getvalue())
            self.assertFalse(missing.exists())

    def test_a_coordinators_template_of_the_indicators_is_checked_and_used(self) -> None:
        document = docx.Document()
        document.add_paragraph("Наши показатели за {{ years[0] }}–{{ year }}")
        document.add_paragraph("{%p for s in schools %}")
        document.add_paragraph("{{ s.name }}: {% for r in s.rows %}{{ r.v3 }}; {% endfor %}")
        document.add_paragraph("{%p endfor %}")
        out = io.BytesIO()
        document.save(out)
        services.template_upload(user=self.coordinator, municipality=self.first,
                                 kind="indicators", name="мой.docx", content=out.getvalue())
        text = _text(self._docx(f"/reports/indicators.docx?municipality={self.first.pk}"
                                "&year=2025"))
        self.assertIn("Наши показатели за 2023–2025", text)
        self.assertIn("СОШ № 1: ", text)
        self.assertIn("40,0 % (2 из 5)", text)
        bad = docx.Document()
        bad.add_paragraph("{%p for r in municipal.rows %}")
        bad.add_paragraph("{{ r.director }}")
        bad.add_paragraph("{%p endfor %}")
        out = io.BytesIO()
        bad.save(out)
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as caught:
            check_template("indicators", out.getvalue())
        self.assertIn("неизвестная часть поля: «director»", caught.exception.messages[0])
        self.assertEqual(ReportTemplate.objects.get().name, "мой.docx")


BY_NAME_CODE = {i.code: i.name_ru for i in CURRENT.indicators}
TREATED_PRE = (-10.0, -12.0, -8.0, -11.0, -9.0)  # entered in 2022, each +4 p. p. after
CONTROL_PRE = (-12.0, -11.0, -10.0, -9.5, -9.0, -8.0, -11.5, -10.5, -8.5, -12.5, -7.5)


class EffectivenessSectionTests(PersonaTestCase):
    """«Третий»: five schools enter the system in 2022 (the official list of 2022, again on the
    list of 2024) and close their gap to the region by 4 p. p. in 2023–2024; eleven schools never
    on a list change by +1 or +0,5 p. p. — the page finds an effect and says so."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        run = AnalysisRun.objects.create(scope="municipality", region=cls.third.region,
                                         municipality=cls.third, status=DONE,
                                         run_json={"years_analysed": [2022, 2023, 2024]})
        entered = []
        for n, pre in enumerate(TREATED_PRE + CONTROL_PRE, 10):
            school = school_create(municipality=cls.third, key=f"E{n}",
                                   short_name=f"СОШ № {n}", number=n)
            treated = n - 10 < len(TREATED_PRE)
            change = 4.0 if treated else (1.0 if n % 2 else 0.5)
            for year, gap in ((2021, pre - 0.5), (2022, pre), (2023, pre + change),
                              (2024, pre + change)):
                RunSchoolStat.objects.create(run=run, school=school, procedure="VPR",
                                             subject="rus", grade=4, year=year, participants=25,
                                             mean_pct=50 + gap, region_mean_pct=50.0,
                                             gap_pct=gap)
            if treated:
                entered.append(school)
        for year in (2022, 2024):
            approved = ApprovedList.objects.create(run=run, year=year, region=cls.third.region,
                                                   municipality=cls.third, basis="приказ № 9",
                                                   approved_by=cls.admin)
            for school in entered:
                Inclusion.objects.create(approved_list=approved, school=school,
                                         category=CATEGORY_LOW, since_year=2022,
                                         evidence="ниже региона")

    def test_the_estimate_its_interval_and_the_schools_compared_are_the_apis(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(f"/reports/note.docx?municipality={self.third.pk}&year=2024")
        self.assertEqual(response.status_code, 200)
        text = _text(docx.Document(io.BytesIO(response.content)))
        token = token_create(user=self.admin, name="тест")[1]
        rows = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(
            f"/api/v1/monitoring/municipalities/{self.third.pk}/effectiveness").json()
        overall = next(r for r in rows if r["procedure"] == "*")
        self.assertEqual((overall["entry_year"], overall["treated"], overall["controls"]),
                         (2022, 5, 11))
        self.assertGreater(overall["low"], 0)  # +4 against +0,5…+1: an effect found
        self.assertIn(overall["text"], text)
        self.assertIn(f"сильнее похожих школ, не входивших в систему, на "
                      f"{number(overall['effect'], 1)} п. п. (95 % интервал: от "
                      f"{number(overall['low'], 1)} до {number(overall['high'], 1)} п. п.)", text)
        self.assertIn("Сравнение: 5 школ против 11 похожих", text)
        for row in rows:
            self.assertIn(row["text"], text)


class ReviewReportTests(ProgrammesTestCase):
    def _fill(self) -> None:
        criteria = list(self.item.campaign.rubric.criteria.all())
        sheet_save(by=self.curator, assignment=self.assignment,
                   scores={c.pk: v for c, v in zip(criteria, [1, 2, 3, 2, 0], strict=True)},
                   comments={criteria[0].pk: "Цель сформулирована расплывчато"},
                   overall="Доработать раздел целей", submit=True)

    def _get(self, url: str, user: Any = None) -> Any:
        self.client.force_login(user or self.curator)
        return self.client.get(url)

    def test_the_filled_sheet_is_a_document_with_each_score_and_the_total(self) -> None:
        self._fill()
        response = self._get(f"/reports/reviews/{self.assignment.pk}/sheet.docx")
        self.assertEqual(response.status_code, 200)
        document = docx.Document(io.BytesIO(response.content))
        text = _text(document)
        self.assertIn("Экспертиза: «Экспертиза дорожных карт 2026» (Первый", text)
        self.assertIn("На экспертизе: Дорожная карта, раунд 1.", text)
        self.assertIn("Итого: 8 из 15 баллов.", text)  # 1 + 2 + 3 + 2 + 0 of 5 × 3
        self.assertIn("Общий комментарий эксперта: Доработать раздел целей", text)
        rows = _rows(document.tables[0])
        self.assertEqual(rows[0], ["Критерий", "Что оценивается", "Шкала, баллы", "Балл",
                                   "Комментарий"])
        self.assertEqual([r[0][:2] for r in rows[1:]], ["а)", "б)", "в)", "г)", "д)"])
        self.assertEqual([r[3] for r in rows[1:]], ["1", "2", "3", "2", "0"])
        self.assertEqual(rows[1][4], "Цель сформулирована расплывчато")
        self.assertEqual(rows[2][4], "—")

    def test_the_coordinator_reads_it_as_pdf_and_as_the_pages_xlsx(self) -> None:
        self._fill()
        pdf = built_in_background(self, f"/reports/reviews/{self.assignment.pk}/sheet.pdf",
                                  self.coordinator)
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        xlsx = self._get(f"/reports/reviews/{self.assignment.pk}/sheet.xlsx", self.coordinator)
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Экспертный лист"]
        self.assertEqual([sheet.cell(row=r, column=4).value for r in range(7, 12)],
                         [1, 2, 3, 2, 0])

    def test_a_sheet_not_found_outside_the_scope_or_not_sent_is_refused_in_russian(
            self) -> None:
        response = self._get(f"/reports/reviews/{self.assignment.pk}/sheet.docx")
        self.assertContains(response, "ещё не отправлен экспертом", status_code=404)
        self._fill()
        response = self._get(f"/reports/reviews/{self.assignment.pk}/sheet.docx", self.nobody)
        self.assertContains(response, f"Экспертный лист № {self.assignment.pk} не найден или "
                                      "недоступен", status_code=404)
        response = self._get("/reports/reviews/999999/sheet.pdf")
        self.assertContains(response, "Экспертный лист № 999999 не найден", status_code=404)

    def test_the_sheet_page_links_the_document_once_the_sheet_is_sent(self) -> None:
        url = f"/reports/reviews/{self.assignment.pk}/sheet.docx"
        self.assertNotContains(self._get(f"/programmes/reviews/sheets/{self.assignment.pk}/"),
                               url)
        self._fill()
        self.assertContains(self._get(f"/programmes/reviews/sheets/{self.assignment.pk}/"), url)

    def test_the_command_builds_the_sheet_and_exits_2_for_an_unknown_one(self) -> None:
        self._fill()
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "лист.docx"
            call_command("report", "review", "--review", str(self.assignment.pk), "--out",
                         str(out), stdout=io.StringIO())
            self.assertIn("Итого: 8 из 15 баллов.", _text(docx.Document(str(out))))
            missing = Path(folder) / "нет.pdf"
            errors = io.StringIO()
            with self.assertRaises(SystemExit) as exit_:
                call_command("report", "review", "--review", "999999", "--out", str(missing),
                             stderr=errors)
            self.assertEqual(exit_.exception.code, 2)
            self.assertIn("Экспертный лист № 999999 не найден или недоступен",
                          errors.getvalue())
            self.assertFalse(missing.exists())
