"""Hostile files through the import page: a Russian message on that file, the next file loaded.

The worker reads every file in a child process (opora.formats.isolation); a file that would make
a reader allocate hundreds of gigabytes is refused before reading, with its reason on the page.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from test_import_page import ImportPageTestCase, real_file

from hostile_files import far_value, huge_row_number
from opora.web.assessment.models import StudentResult
from opora.web.imports.models import ImportBatch, UploadEntry


class HostileUploadTests(ImportPageTestCase):
    def _file(self, builder: object) -> SimpleUploadedFile:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = builder(Path(folder))  # type: ignore[operator]
            return SimpleUploadedFile(path.name, path.read_bytes())

    def test_a_dimension_bomb_from_a_school_gets_a_message_and_the_next_form_loads(self) -> None:
        self.upload(self.school_admin, self._file(far_value), self._file(huge_row_number),
                    real_file("vpr_protocol_form.xlsx"), target=f"s{self.a.pk}",
                    subject="rus", grade=4, year=2025)
        bomb, row_bomb, form = self.only_job().entries.order_by("position")
        self.assertEqual(bomb.status, UploadEntry.FAILED)
        self.assertIn("таблица слишком велика для чтения из Excel", bomb.message)
        self.assertIn("до ячейки XFD1048576", bomb.message)
        self.assertEqual(row_bomb.status, UploadEntry.FAILED)
        self.assertIn("лежит за пределами листа Excel", row_bomb.message)
        self.assertEqual(form.status, UploadEntry.DONE, form.message)
        self.assertEqual(StudentResult.objects.filter(school=self.a).count(), 20)
        self.assertEqual(ImportBatch.objects.filter(status=ImportBatch.SUCCEEDED).count(), 1)

    def test_the_refusal_is_shown_on_the_upload_page(self) -> None:
        self.upload(self.coordinator, self._file(far_value))
        job = self.only_job()
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertIn("таблица слишком велика для чтения из Excel", page)
