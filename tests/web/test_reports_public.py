"""The public МСОКО page and open data: no sign-in; approved lists as counts only, never a draft,
never a school's name; published documents after their embargo date and until withdrawn."""

from __future__ import annotations

import datetime as dt
import json

from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from personas import PersonaTestCase
from reports_data import YEAR, make_report_data

from opora.web.analysis.models import DONE, AnalysisRun, RunFlag
from opora.web.reports.models import PublishedDocument, ReportJob

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class PublicPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_report_data(cls)
        # a draft of «Второй»: C flagged, never approved — it must never be public
        draft = AnalysisRun.objects.create(
            scope="municipality", municipality=cls.second, region=cls.second.region,
            status=DONE, progress=100, finished_at=timezone.now(), rules_version="строже",
            run_json={"years_analysed": [YEAR]})
        RunFlag.objects.create(run=draft, school=cls.c, flag="low_results", year=YEAR,
                               evidence="черновик")

    def setUp(self) -> None:
        cache.clear()
        self.anon = Client()

    def test_the_public_page_opens_without_signing_in_and_shows_counts_not_names(self) -> None:
        response = self.anon.get(f"/public/{self.first.pk}/")
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("Школ в официальном списке года", body)
        self.assertIn(f"<th>{YEAR}</th>", body)
        self.assertNotIn("СОШ № 1", body)
        self.assertNotIn("Ниже региона", body)

    def test_a_draft_is_never_public(self) -> None:
        self.assertEqual(self.anon.get(f"/public/{self.second.pk}/").status_code, 404)
        self.assertNotContains(self.anon.get("/public/"), "Второй")
        rows = json.loads(self.anon.get("/public/data.json").content)["rows"]
        self.assertEqual({r["municipality"] for r in rows}, {"Первый"})
        api = json.loads(self.anon.get("/api/v1/public/indicators").content)
        self.assertEqual({r["municipality"] for r in api}, {"Первый"})

    def test_open_data_counts_the_listed_schools_and_the_support_held(self) -> None:
        rows = json.loads(self.anon.get("/public/data.json").content)["rows"]
        values = {r["indicator"]: r["value"] for r in rows if r["year"] == YEAR}
        self.assertEqual(values["schools_total"], 2)
        self.assertEqual(values["schools_listed"], 1)
        self.assertEqual(values["category_low"], 1)
        self.assertEqual(values["schools_helped"], 1)
        self.assertEqual(values["events_held"], 2)
        csv = self.anon.get("/public/data.csv").content.decode("utf-8-sig")
        self.assertTrue(csv.startswith("region,municipality,municipality_id,year,indicator"))

    def test_the_schema_describes_every_column_of_the_open_data(self) -> None:
        schema = json.loads(self.anon.get("/public/schema.json").content)
        rows = json.loads(self.anon.get("/public/data.json").content)["rows"]
        self.assertEqual({c["name"] for c in schema["columns"]}, set(rows[0]))

    def test_a_document_is_public_from_its_date_until_withdrawn(self) -> None:
        today = timezone.localdate()
        later = PublishedDocument.objects.create(
            municipality=self.first, kind="note", year=YEAR, title="Справка позже", pdf=b"%PDF",
            docx=b"PK", visible_from=today + dt.timedelta(days=3))
        now = PublishedDocument.objects.create(
            municipality=self.first, kind="note", year=YEAR, title="Справка сейчас",
            pdf=b"%PDF-1", docx=b"PK", visible_from=today)
        page = self.anon.get(f"/public/{self.first.pk}/")
        self.assertContains(page, "Справка сейчас")
        self.assertNotContains(page, "Справка позже")
        self.assertEqual(self.anon.get(f"/public/documents/{later.pk}.pdf").status_code, 404)
        self.assertEqual(self.anon.get(f"/public/documents/{now.pk}.pdf").content, b"%PDF-1")
        self.client.force_login(self.coordinator)
        self.client.post(f"/reports/published/{now.pk}/withdraw/",
                         {"municipality": self.first.pk})
        self.assertEqual(self.anon.get(f"/public/documents/{now.pk}.pdf").status_code, 404)
        self.assertNotContains(self.anon.get(f"/public/{self.first.pk}/"), "Справка сейчас")

    @override_settings(TASKS=IMMEDIATE)
    def test_the_coordinator_publishes_the_note_as_pdf_and_docx_in_the_background(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/reports/publish/", {"municipality": self.first.pk,
                                                              "year": YEAR})
        job = ReportJob.objects.get()
        self.assertRedirects(response, f"/reports/jobs/{job.pk}/")
        self.assertContains(self.client.get(f"/reports/jobs/{job.pk}/"), "Опубликовано")
        found = PublishedDocument.objects.get()
        self.assertTrue(bytes(found.pdf).startswith(b"%PDF"))
        self.assertContains(self.anon.get(f"/public/{self.first.pk}/"), found.title)

    def test_the_page_is_the_same_for_everybody_and_names_nobody_who_opened_it(self) -> None:
        """The whole page is kept in the cache for everybody (views_public._whole_page), so its
        frame shows nothing of the visitor: a coordinator signed in first leaves no trace."""
        self.client.force_login(self.coordinator)
        signed_in = self.client.get(f"/public/{self.first.pk}/").content.decode()
        anonymous = self.anon.get(f"/public/{self.first.pk}/").content.decode()
        self.assertEqual(signed_in, anonymous)
        for private in (self.coordinator.get_username(), "csrf", "Выйти", "Сопровождение"):
            self.assertNotIn(private, anonymous)

    def test_a_document_published_after_the_page_was_kept_shows_at_once(self) -> None:
        self.assertNotContains(self.anon.get(f"/public/{self.first.pk}/"), "Справка свежая")
        PublishedDocument.objects.create(
            municipality=self.first, kind="note", year=YEAR, title="Справка свежая",
            pdf=b"%PDF", docx=b"PK", visible_from=timezone.localdate())
        self.assertContains(self.anon.get(f"/public/{self.first.pk}/"), "Справка свежая")
