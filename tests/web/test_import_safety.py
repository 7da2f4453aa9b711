"""Safer imports (issue 13): a page upload writes only inside its territory, and a file that would
replace data loaded before waits for the uploader's «yes» — the replaced rows kept for the audit.

Counts are taken from the files themselves (openpyxl, the reader's tables) or written by hand.
"""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from test_import_page import REALDATA, ImportPageTestCase, real_file

from opora.formats import read_file
from opora.web.accounts import models as roles
from opora.web.assessment.models import ReferenceValue, SchoolAggregate, StudentResult
from opora.web.imports.models import ImportBatch, UploadEntry, UploadJob
from opora.web.imports.replaced import replaced_rows
from opora.web.schools.models import Municipality, Region
from opora.web.schools.services import municipality_get_or_create, region_get_or_create

EGE = "ege_by_school_region_sample.xlsx"
VPR = "vpr_protocol_form.xlsx"
FORM_HINTS = {"subject": "rus", "grade": 4, "year": 2025}


def _shorter_form(keep: int) -> SimpleUploadedFile:
    """The real ВПР form with only its first ``keep`` participants (a «corrected» file; both
    of its protocol sheets, whichever the reader takes)."""
    book = openpyxl.load_workbook(REALDATA / VPR)
    for sheet in book.worksheets:
        sheet.delete_rows(2 + keep, sheet.max_row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(VPR, buffer.getvalue())


class ImportSafetyTests(ImportPageTestCase):
    def _entry(self) -> UploadEntry:
        return UploadJob.objects.order_by("-pk").first().entries.get()  # type: ignore[union-attr]

    # --- the territory ------------------------------------------------------------------------

    def test_another_regions_table_writes_nothing_and_creates_no_territory(self) -> None:
        read = read_file(REALDATA / EGE)
        outside = sum(read.tables[name].num_rows for name in ("schools", "aggregates", "reference"))
        regions, municipalities = Region.objects.count(), Municipality.objects.count()
        self.upload(self.coordinator, real_file(EGE))
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertIn(f"Вне вашего муниципалитета: {outside} строк, не записаны", entry.message)
        self.assertEqual((Region.objects.count(), Municipality.objects.count()),
                         (regions, municipalities))
        self.assertFalse(Region.objects.filter(name="Еврейская автономная область").exists())
        self.assertFalse(ReferenceValue.objects.exists() or SchoolAggregate.objects.exists())

    def test_a_coordinator_of_the_tables_region_keeps_only_its_own_totals(self) -> None:
        region = region_get_or_create(name="Еврейская автономная область")
        town = municipality_get_or_create(region=region, name="Город Биробиджан")
        coordinator = self._user("birobidzhan", roles.COORDINATOR, municipality=town)
        municipalities = Municipality.objects.count()
        self.upload(coordinator, real_file(EGE), target=f"m{town.pk}")
        entry = self._entry()  # the town's schools are new: confirmed as such, it loads again
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/imports/{entry.job_id}/files/{entry.pk}/create-schools/",
                             {"confirm": "yes"})
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual(Municipality.objects.count(), municipalities)  # none created
        kept = set(ReferenceValue.objects.values_list("level", "region__name",
                                                      "municipality__name"))
        self.assertEqual(kept, {("region", "Еврейская автономная область", None),
                                ("municipality", "Еврейская автономная область",
                                 "Город Биробиджан")})

    def test_the_command_line_creates_a_region_only_when_told_to(self) -> None:
        with self.assertRaises(SystemExit):
            call_command("import", str(REALDATA / EGE), "--create-missing-schools",
                         stderr=io.StringIO())
        self.assertFalse(Region.objects.filter(name="Еврейская автономная область").exists())
        call_command("import", str(REALDATA / EGE), "--create-missing-schools",
                     "--create-territories", stdout=io.StringIO())
        self.assertTrue(Region.objects.filter(name="Еврейская автономная область").exists())

    # --- replacing data loaded before ---------------------------------------------------------

    def _load_full_form(self) -> ImportBatch:
        self.upload(self.school_admin, real_file(VPR), target=f"s{self.a.pk}", **FORM_HINTS)
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        assert entry.batch is not None
        return entry.batch

    def test_a_corrected_form_says_what_it_would_replace_and_writes_nothing(self) -> None:
        first = self._load_full_form()
        participants = openpyxl.load_workbook(REALDATA / VPR).active.max_row - 1  # 20 rows
        self.upload(self.school_admin, _shorter_form(5), target=f"s{self.a.pk}", **FORM_HINTS)
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.CONFIRM, entry.message)
        self.assertIn(f"Будут заменены: результаты участников — {participants}", entry.message)
        self.assertIn("Из файла будет записано: результаты участников — 5", entry.message)
        self.assertIn(f"— загрузка №{UploadEntry.objects.get(batch=first).job_id}, файл 1 «{VPR}»",
                      entry.message)
        self.assertEqual(set(StudentResult.objects.values_list("batch_id", flat=True)), {first.pk})
        page = self.client.get(f"/imports/{entry.job_id}/").content.decode()
        self.assertIn("Да, это исправленный файл: заменить прежние данные", page)

    def test_the_confirmed_replacement_loads_the_file_and_keeps_the_old_rows(self) -> None:
        first = self._load_full_form()
        before = {r["participant_code"]: r["primary_score"]
                  for r in StudentResult.objects.values("participant_code", "primary_score")}
        self.upload(self.school_admin, _shorter_form(5), target=f"s{self.a.pk}", **FORM_HINTS)
        entry = self._entry()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/imports/{entry.job_id}/files/{entry.pk}/replace/",
                                        {"confirm": "yes"})
        self.assertEqual(response.status_code, 302)
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual(StudentResult.objects.count(), 5)
        assert entry.batch is not None
        archived = replaced_rows(entry.batch)["results"]
        self.assertEqual({r["participant_code"]: r["primary_score"] for r in archived}, before)
        self.assertEqual({r["batch_id"] for r in archived}, {first.pk})
        self.assertEqual(entry.batch.replaced["tables"]["results"], len(before))

    def test_without_the_tick_nothing_is_replaced(self) -> None:
        first = self._load_full_form()
        self.upload(self.school_admin, _shorter_form(5), target=f"s{self.a.pk}", **FORM_HINTS)
        entry = self._entry()
        self.client.post(f"/imports/{entry.job_id}/files/{entry.pk}/replace/", {})
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.CONFIRM)
        self.assertEqual(set(StudentResult.objects.values_list("batch_id", flat=True)), {first.pk})

    # --- naming --------------------------------------------------------------------------------

    def test_messages_name_the_file_and_the_earlier_upload_not_batch_records(self) -> None:
        first = self._load_full_form()
        entry = self._entry()
        self.assertTrue(entry.message.startswith(f"Файл «{VPR}» загружен."), entry.message)
        self.assertNotIn(f"№{first.pk}", entry.message.replace(f"№{entry.job_id}", ""))
        self.upload(self.coordinator, real_file(VPR), school=self.a.pk, **FORM_HINTS)
        again = self._entry()
        self.assertIn(f"загрузка №{entry.job_id}, файл 1 «{VPR}»", again.message)
        page = self.client.get(f"/imports/{again.job_id}/").content.decode()
        self.assertIn(f"<h1>Загрузка №{again.job_id}</h1>", page)
        self.assertIn(f"Файл 1: {VPR}", page)
