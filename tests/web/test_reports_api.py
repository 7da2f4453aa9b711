"""The indicator tables and a filled expert sheet through the API (``/api/v1/reports/indicators``,
``/api/v1/reports/review``) and built in the background (``ReportJob``) — issue 17: the
document for whoever sees the page, a Russian refusal for anyone else; files opened with
python-docx."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

import docx
from django.test import Client, override_settings
from monitoring_data import school_year
from personas import PersonaTestCase
from programmes_data import ProgrammesTestCase
from reports_data import IMMEDIATE, built_in_background

from opora.web.api.tokens import token_create
from opora.web.programmes.services.reviews import sheet_save
from opora.web.reports import views
from opora.web.reports.models import ReportJob

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _api(user: Any, url: str) -> Any:
    token = token_create(user=user, name="тест")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(url)


@override_settings(TASKS=IMMEDIATE)
class IndicatorsApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        school_year(cls)

    def test_the_coordinator_gets_the_municipalitys_and_each_schools_tables_through_the_api(
            self) -> None:
        response = _api(self.coordinator, f"/api/v1/reports/indicators?municipality="
                                          f"{self.first.pk}&year=2025&format=docx")
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(response["Content-Type"], DOCX_TYPE)
        document = docx.Document(io.BytesIO(response.content))
        self.assertIn("Первый (Северная область), 2023–2025 годы", _text(document))
        headings = [p.text for p in document.paragraphs if p.text.startswith("Показатели школы")]
        self.assertEqual(headings, ["Показатели школы: СОШ № 1", "Показатели школы: СОШ № 2"])
        self.assertTrue(response.content.startswith(b"PK"))

    def test_a_school_administrator_gets_their_schools_table_and_is_refused_the_rest(
            self) -> None:
        mine = _api(self.school_admin, f"/api/v1/reports/indicators?municipality={self.first.pk}"
                                       f"&school={self.a.pk}&year=2025&format=xlsx")
        self.assertEqual(mine.status_code, 200, mine.content[:300])
        other = _api(self.school_admin, f"/api/v1/reports/indicators?municipality="
                                        f"{self.first.pk}&school={self.b.pk}&year=2025")
        self.assertEqual(other.status_code, 404)
        self.assertIn("Школа не найдена или недоступна", other.json()["message"])
        town = _api(self.school_admin,
                    f"/api/v1/reports/indicators?municipality={self.first.pk}&year=2025")
        self.assertEqual(town.status_code, 404)
        self.assertIn("Муниципалитет не найден или недоступен", town.json()["message"])

    def test_a_municipality_out_of_scope_or_a_year_without_facts_is_refused_in_russian(
            self) -> None:
        foreign = _api(self.coordinator,
                       f"/api/v1/reports/indicators?municipality={self.second.pk}&year=2025")
        self.assertEqual(foreign.status_code, 404)
        self.assertIn("Муниципалитет не найден или недоступен", foreign.json()["message"])
        empty = _api(self.coordinator,
                     f"/api/v1/reports/indicators?municipality={self.first.pk}&year=2010")
        self.assertEqual(empty.status_code, 404)
        self.assertIn("За 2010 год нет данных показателей для «Первый»", empty.json()["message"])
        wrong = _api(self.coordinator, f"/api/v1/reports/indicators?municipality="
                                       f"{self.first.pk}&year=2025&format=odt")
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("Неизвестный формат «odt»", wrong.json()["message"])

    def test_a_background_build_of_the_indicator_tables_completes_and_opens_in_word(
            self) -> None:
        url = f"/reports/indicators.docx?municipality={self.first.pk}&year=2025"
        with mock.patch.object(views, "INLINE_SCHOOLS", 1):  # «Первый» has two schools
            response = built_in_background(self, url, self.coordinator)
        document = docx.Document(io.BytesIO(response.content))
        self.assertIn("Первый (Северная область), 2023–2025 годы", _text(document))
        job = ReportJob.objects.get()
        self.assertEqual((job.kind, job.fmt, job.year, job.municipality), (
            "indicators", "docx", 2025, self.first))
        self.assertEqual(job.filename, "показатели-2025.docx")
        page = self.client.get(f"/reports/jobs/{job.pk}/")
        self.assertContains(page, f"/monitoring/?municipality={self.first.pk}")

    def test_a_small_municipalitys_docx_is_built_on_the_click(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(
            f"/reports/indicators.docx?municipality={self.first.pk}&year=2025")
        self.assertEqual(response["Content-Type"], DOCX_TYPE)
        self.assertFalse(ReportJob.objects.exists())

    def test_a_schools_table_in_the_background_and_a_foreign_school_refused(self) -> None:
        response = built_in_background(
            self, f"/reports/schools/{self.a.pk}/indicators.pdf?year=2025", self.school_admin)
        self.assertTrue(response.content.startswith(b"%PDF"))
        job = ReportJob.objects.get()
        self.assertEqual((job.school, job.municipality), (self.a, self.first))
        refused = self.client.post("/reports/jobs/", {"kind": "indicators", "fmt": "pdf",
                                                      "school": self.b.pk, "year": 2025})
        self.assertEqual(refused.status_code, 404)
        self.assertEqual(ReportJob.objects.count(), 1)

    def test_a_year_without_facts_fails_the_background_job_in_russian(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/reports/jobs/", {"kind": "indicators", "fmt": "pdf",
                                                "municipality": self.first.pk, "year": 2010})
        job = ReportJob.objects.get()
        self.assertContains(self.client.get(f"/reports/jobs/{job.pk}/"),
                            "За 2010 год нет данных показателей для «Первый»")
        self.assertEqual(self.client.get(f"/reports/jobs/{job.pk}/file/").status_code, 404)

    def test_the_list_of_reports_names_the_indicator_tables(self) -> None:
        found = _api(self.coordinator, "/api/v1/reports").json()
        self.assertIn({"kind": "indicators", "kind_name": "Таблицы показателей",
                       "municipality_id": self.first.pk, "municipality": "Первый",
                       "year": 2025, "formats": ["docx", "pdf", "xlsx"],
                       "url": f"/api/v1/reports/indicators?municipality={self.first.pk}"
                              "&year=2025&format=docx"}, found)


class ReviewApiTests(ProgrammesTestCase):
    def _fill(self) -> None:
        criteria = list(self.item.campaign.rubric.criteria.all())
        sheet_save(by=self.curator, assignment=self.assignment,
                   scores={c.pk: v for c, v in zip(criteria, [1, 2, 3, 2, 0], strict=True)},
                   comments={}, overall="Доработать раздел целей", submit=True)

    def test_the_expert_and_the_coordinator_get_the_sent_sheet_through_the_api(self) -> None:
        self._fill()
        for user in (self.curator, self.coordinator):
            response = _api(user, f"/api/v1/reports/review?review={self.assignment.pk}")
            self.assertEqual(response.status_code, 200, response.content[:300])
            text = _text(docx.Document(io.BytesIO(response.content)))
            self.assertIn("Итого: 8 из 15 баллов.", text)
        xlsx = _api(self.curator,
                    f"/api/v1/reports/review?review={self.assignment.pk}&format=xlsx")
        self.assertEqual(xlsx.status_code, 200)

    def test_a_draft_a_foreign_or_an_unknown_sheet_is_refused_in_russian(self) -> None:
        draft = _api(self.curator, f"/api/v1/reports/review?review={self.assignment.pk}")
        self.assertEqual(draft.status_code, 404)
        self.assertIn("ещё не отправлен экспертом", draft.json()["message"])
        self._fill()
        foreign = _api(self.nobody, f"/api/v1/reports/review?review={self.assignment.pk}")
        self.assertEqual(foreign.status_code, 404)
        self.assertIn(f"Экспертный лист № {self.assignment.pk} не найден или недоступен",
                      foreign.json()["message"])
        unknown = _api(self.curator, "/api/v1/reports/review?review=999999")
        self.assertIn("Экспертный лист № 999999 не найден", unknown.json()["message"])

    def test_the_sheet_built_in_the_background_leads_back_to_the_sheet(self) -> None:
        self._fill()
        response = built_in_background(
            self, f"/reports/reviews/{self.assignment.pk}/sheet.pdf", self.curator)
        self.assertTrue(response.content.startswith(b"%PDF"))
        job = ReportJob.objects.get()
        self.assertEqual((job.kind, job.review, job.municipality), (
            "review", self.assignment.pk, self.first))
        self.assertContains(self.client.get(f"/reports/jobs/{job.pk}/"),
                            f"/programmes/reviews/sheets/{self.assignment.pk}/")

    def test_a_foreign_sheet_is_not_queued(self) -> None:
        self._fill()
        self.client.force_login(self.nobody)
        response = self.client.post("/reports/jobs/", {"kind": "review", "fmt": "pdf",
                                                       "review": self.assignment.pk})
        self.assertContains(response, "не найден или недоступен", status_code=404)
        self.assertFalse(ReportJob.objects.exists())
