"""``opora manage delete_rejected_uploads --days 90``: delete rejected files past their time.

A rejected file (refused, already loaded, interrupted) is kept so that the coordinator can see
what went wrong and run it again after matching its schools; after ``--days`` days without a
change it is deleted. Its records stay — who loaded what, when, the problems — only the file
goes, and the page says so if someone runs it again (docs/operations.md, «Где что хранится»).
A file any loaded batch refers to is never deleted, whatever else refers to it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from opora.numbers import number
from opora.web.imports.models import ImportBatch, UploadEntry

REJECTED = (UploadEntry.FAILED, UploadEntry.DUPLICATE)


def expired_files(days: int) -> set[str]:
    """Stored names whose every record is a rejection older than ``days`` days."""
    cutoff = timezone.now() - timedelta(days=days)
    entries = UploadEntry.objects.exclude(file="")
    batches = ImportBatch.objects.exclude(file="")
    candidates = set(entries.filter(status__in=REJECTED, updated_at__lt=cutoff)
                     .values_list("file", flat=True))
    candidates |= set(batches.filter(status=ImportBatch.FAILED, imported_at__lt=cutoff)
                      .values_list("file", flat=True))
    kept = set(entries.exclude(status__in=REJECTED, updated_at__lt=cutoff)
               .values_list("file", flat=True))
    kept |= set(batches.exclude(status=ImportBatch.FAILED, imported_at__lt=cutoff)
                .values_list("file", flat=True))
    return candidates - kept


def delete_files(names: set[str]) -> int:
    """Delete the files and forget them in their records; returns the bytes freed."""
    freed = 0
    for name in sorted(names):
        if default_storage.exists(name):
            freed += default_storage.size(name)
            default_storage.delete(name)
            _remove_empty_folders(name)
        with transaction.atomic():
            UploadEntry.objects.filter(file=name).update(file="")
            ImportBatch.objects.filter(file=name).update(file="")
    return freed


def _remove_empty_folders(name: str) -> None:
    """``uploads/<upload>/<file>/`` folders left empty (the file system storage keeps them)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    folder = (root / name).parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            return
        folder = folder.parent


class Command(BaseCommand):
    help = "Удалить файлы отклонённых загрузок старше N дней (записи о загрузках остаются)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90,
                            help="сколько дней хранить отклонённые файлы (по умолчанию 90)")
        parser.add_argument("--dry-run", action="store_true",
                            help="только показать, сколько файлов было бы удалено")

    def handle(self, *args: Any, **options: Any) -> None:
        names = expired_files(max(0, options["days"]))
        if options["dry_run"]:
            self.stdout.write(f"Было бы удалено файлов: {len(names)}")
            return
        freed = delete_files(names)
        self.stdout.write(f"Удалено файлов отклонённых загрузок: {len(names)}, освобождено "
                          f"{number(freed / 1024 / 1024, 1)} МБ")
