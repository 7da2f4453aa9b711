"""The import page with a real file (issue 11, point 8): messages speak of the page's fields, say
the file once, group the problems and offer «Загрузить без отклонённых строк»."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from test_import_page import ImportPageTestCase, aggregates_csv, real_file

from opora.web.assessment.models import SchoolAggregate
from opora.web.imports.models import UploadEntry


class PageMessagesTests(ImportPageTestCase):
    def test_a_vpr_form_without_its_school_asks_for_the_pages_fields_not_for_flags(self) -> None:
        self.upload(self.coordinator, real_file("vpr_protocol_form.xlsx"))
        [entry] = self.only_job().entries.all()
        self.assertIn("в полях «Школа»", entry.message)
        self.assertIn("на странице загрузки", entry.message)
        self.assertNotIn("--school", entry.message)

    def test_a_file_that_cannot_be_read_is_named_once(self) -> None:
        self.upload(self.coordinator, SimpleUploadedFile("мусор.csv", "что;это\n1;2\n".encode()))
        [entry] = self.only_job().entries.all()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("файл мусор.csv: не удалось определить формат", entry.message)
        self.assertNotIn("файл мусор.csv: файл мусор.csv", entry.message)
        self.assertNotIn("--format", entry.message)

    def test_rejected_rows_are_loaded_without_them_only_after_the_choice(self) -> None:
        self.upload(self.coordinator, aggregates_csv("A;СОШ № 1;Первый;EGE;2024;11;rus;20",
                                                     "B;СОШ № 2;Первый;EGE;2024;11;rus;много"))
        job = self.only_job()
        [entry] = job.entries.all()
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertIn("Загрузить без отклонённых строк", page)
        self.assertEqual(SchoolAggregate.objects.count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/imports/{job.pk}/files/{entry.pk}/skip-rejected/")
        self.assertEqual(response.status_code, 302)
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual([a.school.key for a in SchoolAggregate.objects.all()], ["A"])
        self.assertIn("без отклонённых строк", entry.message)
        listing = self.client.get(f"/imports/{job.pk}/files/{entry.pk}/problems/")
        self.assertContains(listing, "«много» — не число")

    def test_many_repeated_problems_are_one_line_on_the_page_and_paged_in_full(self) -> None:
        rows = [f"B;СОШ № 2;Первый;EGE;{2000 + i};11;rus;много" for i in range(150)]
        self.upload(self.coordinator, aggregates_csv(*rows))
        job = self.only_job()
        [entry] = job.entries.all()
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertEqual(page.count("«много» — не число"), 1)
        self.assertIn("150 раз", page)
        self.assertNotContains(self.client.get(f"/imports/{job.pk}/files/{entry.pk}/problems/"),
                               "страница 3 из")
        second = self.client.get(f"/imports/{job.pk}/files/{entry.pk}/problems/?page=2")
        self.assertContains(second, "страница 2 из 2")
