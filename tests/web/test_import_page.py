"""The import page: upload, background processing (run synchronously here), result per file."""

from __future__ import annotations

import io
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import openpyxl
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.accounts import models as roles
from opora.web.assessment.models import ReferenceValue, SchoolAggregate, StudentResult
from opora.web.context.models import ContextPassport
from opora.web.imports.models import ImportBatch, UploadEntry, UploadJob
from opora.web.schools.models import Municipality, School, SchoolAlias
from opora.web.schools.services import municipality_get_or_create, region_get_or_create

REALDATA = Path(__file__).resolve().parents[1] / "data" / "realdata"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "opora" / "formats" / "templates" / "blank"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AGGREGATE_HEADER = "school_key;school_name;municipality;procedure;year;grade;subject;participants"


def aggregates_csv(*rows: str, name: str = "aggregates.csv") -> SimpleUploadedFile:
    """A normalised aggregates CSV (docs/formats.md): one line per school, ЕГЭ 2024 Russian."""
    text = "\n".join([AGGREGATE_HEADER, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def context_template(*rows: tuple[str, int, int], name: str) -> SimpleUploadedFile:
    """Опора's context template (src/opora/formats/templates/blank/context.xlsx) with rows of
    school code, school year and number of students filled in."""
    workbook = openpyxl.load_workbook(TEMPLATES / "context.xlsx")
    sheet = workbook["Данные"]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def real_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (REALDATA / name).read_bytes())


class ImportPageTestCase(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.mkdtemp(prefix="opora-media-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        for override in (override_settings(MEDIA_ROOT=media), override_settings(TASKS=IMMEDIATE)):
            override.enable()
            self.addCleanup(override.disable)

    def upload(self, user: object, *files: SimpleUploadedFile, **hints: object) -> object:
        """POST the form as ``user`` and run the enqueued job (ImmediateBackend, on commit)."""
        self.client.force_login(user)  # type: ignore[arg-type]
        target = hints.pop("target", f"m{self.first.pk}")
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/imports/", {"target": target, "uploads": list(files),
                                                  **{k: v for k, v in hints.items()}})

    def only_job(self) -> UploadJob:
        [job] = UploadJob.objects.all()
        return job


class UploadAndResultTests(ImportPageTestCase):
    def test_the_real_vpr_form_with_hints_ends_with_18_present_and_2_absent_participants(self) -> None:
        response = self.upload(self.coordinator, real_file("vpr_protocol_form.xlsx"),
                               school=self.a.pk, procedure="VPR", subject="rus", grade=4,
                               year=2025)
        job = self.only_job()
        self.assertRedirects(response, f"/imports/{job.pk}/")
        [entry] = job.entries.all()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        # the form: 20 participant rows, 2 of them absent (tests/formats/test_vpr_form.py)
        results = StudentResult.objects.filter(school=self.a, year=2025, grade=4)
        self.assertEqual(results.filter(absent=False).count(), 18)
        self.assertEqual(results.filter(absent=True).count(), 2)
        self.assertEqual(entry.counts["written"]["results"], 20)
        self.assertEqual(entry.schools_matched, 1)
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertIn("Обработка закончена", page)
        self.assertIn("результаты участников — 20", page)
        self.assertNotIn('hx-trigger="every 1s"', page)

    def test_a_school_admin_loads_a_form_into_their_own_school_only(self) -> None:
        self.upload(self.school_admin, real_file("vpr_protocol_form.xlsx"),
                    target=f"s{self.a.pk}", subject="rus", grade=4, year=2025)
        [entry] = self.only_job().entries.all()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual(StudentResult.objects.filter(school=self.a).count(), 20)

    def test_a_school_admin_loads_their_context_passport_but_not_another_schools(self) -> None:
        self.upload(self.school_admin, context_template(("A", 2024, 512), name="own.xlsx"),
                    context_template(("B", 2024, 300), name="other.xlsx"), target=f"s{self.a.pk}")
        own, other = self.only_job().entries.order_by("position")
        self.assertEqual(own.status, UploadEntry.DONE, own.message)
        self.assertEqual(other.status, UploadEntry.FAILED)
        self.assertIn("школа с кодом «B» в файле: это не ваша школа", other.message)
        self.assertNotIn("СОШ № 2", other.message)  # the registry's name is not disclosed
        self.assertEqual(list(ContextPassport.objects.values_list("school__key", "students")),
                         [("A", 512)])

    def test_a_school_admin_may_not_load_a_municipality_table(self) -> None:
        self.upload(self.school_admin, aggregates_csv("A;СОШ № 1;Первый;EGE;2024;11;rus;20"),
                    target=f"s{self.a.pk}")
        [entry] = self.only_job().entries.all()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("этот вид файла вам загружать нельзя", entry.message)
        self.assertEqual(SchoolAggregate.objects.count(), 0)

    def test_a_coordinator_cannot_write_into_a_school_of_another_municipality(self) -> None:
        # school C belongs to «Второй»; the file names it by its registry key
        self.upload(self.coordinator, aggregates_csv("C;СОШ № 3;;EGE;2024;11;rus;20"))
        [entry] = self.only_job().entries.all()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("школа с кодом «C» в файле: школа не из вашего муниципалитета",
                      entry.message)
        self.assertEqual(SchoolAggregate.objects.count(), 0)

    def test_a_broken_file_leaves_the_database_unchanged_and_shows_the_place(self) -> None:
        # line 3 of the CSV: 20 participants in school B but «много» is not a number
        self.upload(self.coordinator, aggregates_csv("A;СОШ № 1;Первый;EGE;2024;11;rus;20",
                                                     "B;СОШ № 2;Первый;EGE;2024;11;rus;много"))
        job = self.only_job()
        [entry] = job.entries.all()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertEqual(SchoolAggregate.objects.count(), 0)
        self.assertEqual(ImportBatch.objects.filter(status=ImportBatch.SUCCEEDED).count(), 0)
        [problem] = entry.batch.problems
        self.assertEqual((problem["row"], problem["column"]), (3, "participants"))
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertIn("ничего не сохранено", page)
        self.assertIn("столбец participants, строка 3", page)  # grouped: one line per column

    def test_one_rejected_file_does_not_undo_the_others(self) -> None:
        self.upload(self.coordinator,
                    aggregates_csv("A;СОШ № 1;Первый;EGE;2024;11;rus;20", name="good.csv"),
                    aggregates_csv("B;СОШ № 2;Первый;EGE;2024;11;rus;-5", name="bad.csv"))
        statuses = [e.status for e in self.only_job().entries.order_by("position")]
        self.assertEqual(statuses, [UploadEntry.DONE, UploadEntry.FAILED])
        self.assertEqual(list(SchoolAggregate.objects.values_list("school__key", "participants")),
                         [("A", 20)])

    def test_reuploading_the_same_file_says_already_loaded_and_changes_nothing(self) -> None:
        line = "A;СОШ № 1;Первый;EGE;2024;11;rus;20"
        self.upload(self.coordinator, aggregates_csv(line))
        batches = ImportBatch.objects.count()
        self.upload(self.coordinator, aggregates_csv(line))
        second = UploadJob.objects.order_by("-pk").first()
        [entry] = second.entries.all()
        self.assertEqual(entry.status, UploadEntry.DUPLICATE)
        self.assertEqual(ImportBatch.objects.count(), batches)
        self.assertEqual(SchoolAggregate.objects.count(), 1)
        page = self.client.get(f"/imports/{second.pk}/").content.decode()
        self.assertIn("Этот файл уже загружен", page)
        self.assertIn("coordinator", page)

    def test_problems_download_reads_back_with_openpyxl(self) -> None:
        self.upload(self.coordinator, aggregates_csv("A;СОШ № 1;Первый;EGE;2024;11;rus;много",
                                                     "B;СОШ № 2;Первый;EGE;2024;11;rus;пять"))
        job = self.only_job()
        [entry] = job.entries.all()
        response = self.client.get(f"/imports/{job.pk}/files/{entry.pk}/problems.xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Файл", "Лист", "Строка", "Столбец"))
        # rows 2 and 3 of the CSV are the two bad lines, both in «participants»
        self.assertEqual(sorted((r[2], r[3]) for r in rows[1:]),
                         [(2, "participants"), (3, "participants")])
        self.assertTrue(all(r[0] == "aggregates.csv" and r[4] for r in rows[1:]))


class UnknownSchoolTests(ImportPageTestCase):
    def test_an_unknown_school_is_offered_not_created(self) -> None:
        self.upload(self.coordinator, aggregates_csv("x;Школа номер два;Первый;EGE;2024;11;rus;20"))
        job = self.only_job()
        [entry] = job.entries.all()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertEqual([s["name"] for s in entry.unmatched], ["Школа номер два"])
        self.assertEqual(School.objects.count(), 4)  # the personas' A, B, C, D
        page = self.client.get(f"/imports/{job.pk}/").content.decode()
        self.assertIn("сопоставить с", page)
        self.assertIn("Создать школы", page)

    def test_matching_creates_an_alias_and_the_rerun_succeeds(self) -> None:
        self.upload(self.coordinator, aggregates_csv("x;Школа номер два;Первый;EGE;2024;11;rus;20"))
        job = self.only_job()
        [entry] = job.entries.all()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/imports/{job.pk}/files/{entry.pk}/match/",
                                        {"key": "x", "school": self.b.pk})
        self.assertRedirects(response, f"/imports/{job.pk}/")
        alias = SchoolAlias.objects.get()
        self.assertEqual((alias.school, alias.name), (self.b, "Школа номер два"))
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual(SchoolAggregate.objects.get().school, self.b)

    def test_matching_reruns_every_rejected_file_of_the_upload_with_the_same_spelling(self) -> None:
        self.upload(self.coordinator,
                    aggregates_csv("x;Школа номер два;Первый;EGE;2024;11;rus;20", name="a.csv"),
                    aggregates_csv("x;ШКОЛА НОМЕР ДВА;Первый;EGE;2023;11;rus;25", name="b.csv"))
        job = self.only_job()
        first = job.entries.get(position=1)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/imports/{job.pk}/files/{first.pk}/match/",
                             {"key": "x", "school": self.b.pk})
        self.assertEqual(set(job.entries.values_list("status", flat=True)), {UploadEntry.DONE})
        self.assertEqual(sorted(SchoolAggregate.objects.filter(school=self.b)
                                .values_list("year", "participants")), [(2023, 25), (2024, 20)])

    def test_a_file_running_for_more_than_ten_minutes_is_shown_as_stalled(self) -> None:
        job = UploadJob.objects.create(created_by=self.coordinator, municipality=self.first)
        entry = UploadEntry.objects.create(job=job, position=1, original_name="f.csv",
                                           file="uploads/f.csv", status=UploadEntry.RUNNING)
        self.client.force_login(self.coordinator)
        self.assertNotContains(self.client.get(f"/imports/{job.pk}/"), "stall-")
        UploadEntry.objects.filter(pk=entry.pk).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        page = self.client.get(f"/imports/{job.pk}/")
        self.assertContains(page, "stall-stalled")
        self.assertContains(page, "обработчик, по-видимому, остановился")

    def test_a_file_queued_for_more_than_ten_minutes_says_no_worker_is_running(self) -> None:
        job = UploadJob.objects.create(created_by=self.coordinator, municipality=self.first)
        UploadEntry.objects.create(job=job, position=1, original_name="f.csv",
                                   file="uploads/f.csv")
        UploadEntry.objects.filter(job=job).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/imports/{job.pk}/")
        self.assertContains(page, "stall-waiting")
        self.assertContains(page, "обработаются сами")

    def test_a_school_of_another_municipality_cannot_be_chosen_for_matching(self) -> None:
        self.upload(self.coordinator, aggregates_csv("x;Школа номер два;Первый;EGE;2024;11;rus;20"))
        job = self.only_job()
        [entry] = job.entries.all()
        self.client.post(f"/imports/{job.pk}/files/{entry.pk}/match/", {"key": "x", "school": self.c.pk})
        self.assertFalse(SchoolAlias.objects.exists())

    def test_schools_are_created_only_after_explicit_confirmation(self) -> None:
        self.upload(self.coordinator, aggregates_csv("x;СОШ № 9;Первый;EGE;2024;11;rus;20"))
        job = self.only_job()
        [entry] = job.entries.all()
        url = f"/imports/{job.pk}/files/{entry.pk}/create-schools/"
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {})
        self.assertFalse(School.objects.filter(key="x").exists())
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"confirm": "yes"})
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        created = School.objects.get(key="x")
        self.assertEqual((created.short_name, created.municipality), ("СОШ № 9", self.first))

    def test_the_real_ege_table_ends_with_the_region_total_after_confirming_new_schools(self) -> None:
        # the file's region (its title row) and one of its municipalities
        jewish = region_get_or_create(name="Еврейская автономная область")
        obluchye = municipality_get_or_create(region=jewish, name="Облученский район")
        coordinator = self._user("obluchye", roles.COORDINATOR, municipality=obluchye)
        self.upload(coordinator, real_file("ege_by_school_region_sample.xlsx"),
                    target=f"m{obluchye.pk}")
        job = self.only_job()
        [entry] = job.entries.all()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertTrue(entry.unmatched)
        self.assertEqual({s["municipality"] for s in entry.unmatched}, {"Облученский район"})
        offered = len(entry.unmatched)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/imports/{job.pk}/files/{entry.pk}/create-schools/",
                             {"confirm": "yes"})
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        # sheet «2023», row 10 (region total), Russian: 867 participants (read off the file)
        total = ReferenceValue.objects.get(level="region", year=2023, subject__code="rus")
        self.assertEqual(total.participants, 867)
        self.assertEqual(School.objects.filter(municipality=obluchye).count(), offered)
        self.assertEqual(Municipality.objects.filter(name="Облученский район").count(), 1)


class UploadRefusalTests(ImportPageTestCase):
    @override_settings(OPORA_MAX_UPLOAD_BYTES=1000)
    def test_an_oversize_file_is_refused_in_russian_and_nothing_is_stored(self) -> None:
        big = aggregates_csv(*["A;СОШ № 1;Первый;EGE;2024;11;rus;20"] * 40, name="big.csv")
        response = self.upload(self.coordinator, big)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Файл «big.csv» слишком большой", response.content.decode())
        self.assertFalse(UploadJob.objects.exists())

    def test_a_renamed_file_is_refused_by_its_content(self) -> None:
        fake = SimpleUploadedFile("results.xlsx", b"school_key;year\nA;2024\n")
        response = self.upload(self.coordinator, fake)
        self.assertEqual(response.status_code, 400)
        self.assertIn("содержимое не похоже на книгу Excel (.xlsx)", response.content.decode())
        self.assertFalse(UploadJob.objects.exists())

    def test_a_file_of_another_type_is_refused(self) -> None:
        response = self.upload(self.coordinator, SimpleUploadedFile("notes.docx", b"PK\x03\x04"))
        self.assertIn("такой вид файла не принимается", response.content.decode())
        self.assertFalse(UploadJob.objects.exists())


class ProgressQueryBudgetTests(ImportPageTestCase):
    def _job(self, files: int) -> UploadJob:
        job = UploadJob.objects.create(created_by=self.coordinator, municipality=self.first)
        for n in range(1, files + 1):
            UploadEntry.objects.create(job=job, position=n, original_name=f"f{n}.xlsx",
                                       file=f"uploads/{job.pk}/{n}/f{n}.xlsx",
                                       status=UploadEntry.RUNNING if n % 2 else UploadEntry.DONE)
        return job

    def _queries(self, job: UploadJob) -> int:
        cache.clear()  # both counts as a first request: the reader's roles not cached yet
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(f"/imports/{job.pk}/progress/")
        self.assertEqual(response.status_code, 200)
        self.assertIn('hx-trigger="every 1s"', response.content.decode())
        return len(captured)

    def test_the_progress_endpoint_makes_the_same_number_of_queries_for_1_and_12_files(self) -> None:
        self.assertEqual(self._queries(self._job(1)), self._queries(self._job(12)))

    def _page_queries(self, files: int) -> int:
        """The finished job page: every file rejected with its problems and unknown schools."""
        job = UploadJob.objects.create(created_by=self.coordinator, municipality=self.first)
        for n in range(1, files + 1):
            batch = ImportBatch.objects.create(status=ImportBatch.FAILED, original_name=f"f{n}",
                                               problems=[{"file": f"f{n}", "message": "плохо",
                                                          "row": 2, "column": "B"}])
            UploadEntry.objects.create(job=job, position=n, original_name=f"f{n}.csv",
                                       file=f"uploads/{job.pk}/{n}/f{n}.csv", batch=batch,
                                       status=UploadEntry.FAILED,
                                       unmatched=[{"key": f"k{n}", "name": f"Школа {n}"}])
        cache.clear()  # both counts as a first request: the reader's roles not cached yet
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(f"/imports/{job.pk}/")
        self.assertContains(response, "сопоставить с", count=files)
        return len(captured)

    def test_the_job_page_makes_the_same_number_of_queries_for_1_and_12_files(self) -> None:
        self.assertEqual(self._page_queries(1), self._page_queries(12))
