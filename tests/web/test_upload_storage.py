"""An upload is stored once, with its checksum; rejected files go after their time (issue 10,
point 5). The media directory is a fresh temporary one per test, so every file in it is counted.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from test_import_page import ImportPageTestCase, aggregates_csv

from opora.web.imports.jobs import FILE_DELETED, entry_run
from opora.web.imports.models import ImportBatch, UploadEntry
from opora.web.imports.services import import_file

GOOD = "A;СОШ № 1;Первый;EGE;2024;11;rus;20"
BAD = "B;СОШ № 2;Первый;EGE;2024;11;rus;много"


def _stored() -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class StoredOnceTests(ImportPageTestCase):
    def test_a_loaded_upload_is_one_file_the_batch_and_the_entry_share(self) -> None:
        self.upload(self.coordinator, aggregates_csv(GOOD, name="ege.csv"))
        entry = self.only_job().entries.get()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        [stored] = _stored()
        assert entry.batch is not None
        self.assertEqual(entry.batch.file.name, entry.file.name)
        self.assertEqual(Path(entry.file.path), stored)
        self.assertEqual(_sha256(stored), entry.batch.sha256)
        self.assertEqual(stored.read_text("utf-8").splitlines()[1], GOOD)  # the original bytes

    def test_a_rejected_upload_is_stored_once_too(self) -> None:
        self.upload(self.coordinator, aggregates_csv(BAD, name="bad.csv"))
        entry = self.only_job().entries.get()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        [stored] = _stored()
        assert entry.batch is not None
        self.assertEqual((entry.batch.file.name, _sha256(stored)),
                         (entry.file.name, entry.batch.sha256))

    def test_a_file_loaded_from_the_command_line_is_copied_once(self) -> None:
        source = Path(self.enterContext(tempfile.TemporaryDirectory())) / "ege.csv"
        source.write_bytes(aggregates_csv(GOOD).read())
        outcome = import_file(path=source)
        self.assertTrue(outcome.ok, outcome.summary())
        [stored] = _stored()
        now = timezone.localtime()
        self.assertEqual(stored.parent.relative_to(settings.MEDIA_ROOT).as_posix(),
                         f"imports/{now:%Y}/{now:%m}")
        self.assertEqual(_sha256(stored), _sha256(source))


class RejectedFilesTests(ImportPageTestCase):
    def _age(self, days: int) -> None:
        """As if every upload so far had last changed ``days`` days ago."""
        then = timezone.now() - timedelta(days=days)
        UploadEntry.objects.update(updated_at=then)
        ImportBatch.objects.update(imported_at=then)

    def test_rejected_files_past_their_days_go_and_their_records_stay(self) -> None:
        self.upload(self.coordinator, aggregates_csv(BAD, name="old-bad.csv"),
                    aggregates_csv(GOOD, name="old-good.csv"))
        self._age(91)
        self.upload(self.coordinator, aggregates_csv(BAD.replace("B;", "A;"), name="new-bad.csv"))
        folder = Path(UploadEntry.objects.get(original_name="old-bad.csv").file.path).parent
        before = {p.name for p in _stored()}
        self.assertEqual(before, {"old-bad.csv", "old-good.csv", "new-bad.csv"})
        call_command("delete_rejected_uploads", days=90, stdout=io.StringIO())
        self.assertEqual({p.name for p in _stored()}, {"old-good.csv", "new-bad.csv"})
        old_bad = UploadEntry.objects.get(original_name="old-bad.csv")
        assert old_bad.batch is not None
        self.assertEqual((old_bad.file.name, old_bad.batch.file.name), ("", ""))
        self.assertEqual(old_bad.status, UploadEntry.FAILED)
        self.assertTrue(old_bad.batch.problems)  # what went wrong is still there
        self.assertFalse(folder.exists())  # no empty folder left behind

    def test_a_file_a_loaded_batch_refers_to_is_kept_however_old(self) -> None:
        self.upload(self.coordinator, aggregates_csv("x;СОШ № 9;Первый;EGE;2024;11;rus;20"))
        job = self.only_job()
        entry = job.entries.get()
        self.assertEqual(entry.status, UploadEntry.FAILED)  # an unknown school: refused first
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/imports/{job.pk}/files/{entry.pk}/create-schools/",
                             {"confirm": "yes"})
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual(ImportBatch.objects.filter(file=entry.file.name).count(), 2)
        self._age(400)
        call_command("delete_rejected_uploads", days=90, stdout=io.StringIO())
        self.assertEqual(len(_stored()), 1)

    def test_a_deleted_file_run_again_says_it_was_deleted(self) -> None:
        self.upload(self.coordinator, aggregates_csv(BAD))
        entry = self.only_job().entries.get()
        self._age(91)
        call_command("delete_rejected_uploads", days=90, stdout=io.StringIO())
        UploadEntry.objects.filter(pk=entry.pk).update(status=UploadEntry.QUEUED)
        entry = entry_run(entry.pk)
        self.assertEqual((entry.status, entry.message), (UploadEntry.FAILED, FILE_DELETED))
