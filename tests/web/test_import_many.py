"""Many files at once (issue 18): a municipality's ВПР forms through the page, a region's through
the command — each file all or nothing, a bad file named and the good ones loaded, progress as
«готово N из M» while they run."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_import_page import ImportPageTestCase

from opora.web.assessment.models import StudentResult
from opora.web.imports.forms import UploadForm
from opora.web.imports.models import ImportBatch, UploadEntry, UploadJob
from opora.web.imports.targets import upload_targets

REALDATA = Path(__file__).resolve().parents[1] / "data" / "realdata"
FORM = REALDATA / "vpr_protocol_form.xlsx"
FORM_PARTICIPANTS = 20  # rows of the real form (tests/formats/test_vpr_form.py)
WORKS = ("РУ_4", "МА_5", "РУ_6")


def form_bytes(mark: int) -> bytes:
    """The real form with an archive comment: the same sheet, different bytes (checksums)."""
    buffer = io.BytesIO(FORM.read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = f"copy {mark}".encode()
    return buffer.getvalue()


def broken_workbook() -> bytes:
    """An archive that passes the upload's check (it holds xl/workbook.xml) but is no workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "это не книга")
    return buffer.getvalue()


class ManyFilesTestCase(ImportPageTestCase):
    def setUp(self) -> None:
        super().setUp()
        for school, login in ((self.a, "edu053001"), (self.b, "edu053002")):
            school.fis_oko_login = login
            school.save()

    def good_forms(self) -> list[tuple[str, bytes]]:
        """Six forms: schools A and B, three works each (no form replaces another)."""
        return [(f"{login}_{work}_2025.xlsx", form_bytes(n))
                for n, (login, work) in enumerate(
                    (login, work) for login in ("edu053001", "edu053002") for work in WORKS)]


class UploadOfManyFormsTests(ManyFilesTestCase):
    def test_six_forms_and_two_bad_files_in_one_upload_load_the_six_and_name_the_two(self) -> None:
        files = [SimpleUploadedFile(name, body) for name, body in self.good_forms()]
        files.insert(2, SimpleUploadedFile("edu099999_РУ_4_2025.xlsx", form_bytes(99)))
        files.insert(5, SimpleUploadedFile("сломанный.xlsx", broken_workbook()))
        # chunks of 3 files a child: the bad files fall inside chunks, not at their edges
        with mock.patch("opora.formats.isolation.CHUNK_FILES", 3):
            self.upload(self.coordinator, *files)
        entries = list(self.only_job().entries.order_by("position"))
        self.assertEqual([e.status for e in entries], [
            UploadEntry.DONE, UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.DONE,
            UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.DONE, UploadEntry.DONE])
        self.assertIn("edu099999", entries[2].message)
        self.assertIn("не найдена в реестре", entries[2].message)
        self.assertIn("сломанный.xlsx", entries[5].message)
        self.assertIn("ничего не сохранено", entries[5].message)
        self.assertEqual(StudentResult.objects.count(), 6 * FORM_PARTICIPANTS)
        for school in (self.a, self.b):
            self.assertEqual(StudentResult.objects.filter(school=school).count(),
                             3 * FORM_PARTICIPANTS)
        self.assertEqual(ImportBatch.objects.filter(status=ImportBatch.SUCCEEDED).count(), 6)
        page = self.client.get(f"/imports/{self.only_job().pk}/").content.decode()
        self.assertIn('data-done="8" data-total="8"', page)
        self.assertIn("Загружено: 6 · отклонено: 2", page)

    def test_a_form_loads_the_same_rows_whether_built_in_python_or_by_duckdb(self) -> None:
        name, body = self.good_forms()[0]

        def load(small_limit: int) -> list[dict[str, object]]:
            StudentResult.objects.all().delete()
            ImportBatch.objects.all().delete()
            with mock.patch("opora.web.imports.loading.SMALL_RESULTS", small_limit):
                self.upload(self.coordinator, SimpleUploadedFile(name, body))
            UploadJob.objects.all().delete()
            return sorted(StudentResult.objects.values(
                "procedure_id", "year", "grade", "subject_id", "school_id", "scale_id",
                "participant_code", "class_label", "sex", "variant", "absent", "primary_score",
                "mark", "test_score", "term_mark", "task_scores", "source"),
                key=lambda r: str(r["participant_code"]))

        by_duckdb, in_python = load(0), load(10_000)
        self.assertEqual(len(in_python), FORM_PARTICIPANTS)
        self.assertEqual(in_python, by_duckdb)

    def test_the_form_accepts_a_municipalitys_500_files_in_one_upload(self) -> None:
        self.assertGreaterEqual(settings.DATA_UPLOAD_MAX_NUMBER_FILES, 500)
        files = [SimpleUploadedFile(f"f{n}.csv", b"a;b\n1;2\n") for n in range(500)]
        form = UploadForm({"target": f"m{self.first.pk}"}, {"uploads": files},
                          targets=upload_targets(self.coordinator))
        self.assertTrue(form.is_valid(), form.errors)


class ProgressOfManyFilesTests(ManyFilesTestCase):
    def _job(self, statuses: list[str]) -> UploadJob:
        job = UploadJob.objects.create(created_by=self.coordinator, municipality=self.first)
        UploadEntry.objects.bulk_create([
            UploadEntry(job=job, position=n, original_name=f"файл_{n}.xlsx",
                        file=f"uploads/{job.pk}/{n}/f.xlsx", status=status)
            for n, status in enumerate(statuses, start=1)])
        return job

    def test_while_files_run_the_page_says_how_many_of_all_are_done_and_names_the_rejected(
            self) -> None:
        job = self._job([UploadEntry.DONE] * 3 + [UploadEntry.FAILED, UploadEntry.RUNNING]
                        + [UploadEntry.QUEUED] * 2)
        self.client.force_login(self.coordinator)
        fragment = self.client.get(f"/imports/{job.pk}/progress/").content.decode()
        self.assertIn('hx-trigger="every 1s"', fragment)
        self.assertIn("Файлы обрабатываются: готово 4 из 7", fragment)
        self.assertIn('<progress class="import-progress" value="4" max="7"', fragment)
        self.assertIn("Загружено: 3 · отклонено: 1", fragment)
        self.assertIn("ещё в очереди и в обработке: 3", fragment)
        self.assertIn("Файл 4: файл_4.xlsx — отклонён", fragment)
        self.assertNotIn("файл_1.xlsx", fragment)  # loaded files: listed when all are done

    def test_when_all_files_are_done_the_page_shows_each_file_and_stops_polling(self) -> None:
        job = self._job([UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.DUPLICATE])
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertNotIn('hx-trigger="every 1s"', page)
        self.assertIn("Обработка закончена.", page)
        self.assertIn('data-done="3" data-total="3"', page)
        for n in (1, 2, 3):
            self.assertIn(f"Файл {n}: файл_{n}.xlsx", page)

    def test_the_progress_of_300_files_takes_as_many_queries_as_of_3(self) -> None:
        def queries(job: UploadJob) -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(f"/imports/{job.pk}/progress/").status_code,
                                 200)
            return len(captured)

        self.client.force_login(self.coordinator)
        small = self._job([UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.QUEUED])
        big = self._job([UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.QUEUED] * 100)
        queries(small)  # caches of the site's frame filled by the first request
        self.assertEqual(queries(small), queries(big))


class CommandWithManyFilesTests(ManyFilesTestCase):
    def test_the_import_command_loads_many_forms_names_the_bad_one_and_exits_with_1(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="opora-forms-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        paths = []
        for name, body in [*self.good_forms()[:2], ("edu099999_РУ_4_2025.xlsx", form_bytes(9))]:
            (folder / name).write_bytes(body)
            paths.append(str(folder / name))
        listed = folder / "список.txt"
        listed.write_text(paths[2] + "\n\n", encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with self.assertRaises(SystemExit) as exit_code:
            call_command("import", *paths[:2], "--files-from", str(listed), stdout=out,
                         stderr=err)
        self.assertEqual(exit_code.exception.code, 1)
        self.assertIn("Файл 1 из 3: запись о загрузке №", out.getvalue())
        self.assertIn("Итого файлов: 3; загружено: 2, уже были загружены: 0, отклонено: 1.",
                      out.getvalue())
        self.assertIn("Файл 3 из 3: Файл «edu099999_РУ_4_2025.xlsx» отклонён", err.getvalue())
        self.assertEqual(StudentResult.objects.count(), 2 * FORM_PARTICIPANTS)
        # the same files again: nothing changes, each says it was loaded before
        out = io.StringIO()
        call_command("import", *paths[:2], stdout=out, stderr=io.StringIO())
        self.assertIn("загружено: 0, уже были загружены: 2, отклонено: 0", out.getvalue())
        self.assertEqual(StudentResult.objects.count(), 2 * FORM_PARTICIPANTS)
