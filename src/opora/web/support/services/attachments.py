"""Files of an event: checked by their content, not only by their name.

Accepted: PDF, DOCX, XLSX, JPEG, PNG, up to ``OPORA_MAX_ATTACHMENT_BYTES`` (20 MB by default).
The first bytes say what a file is (PDF ``%PDF-``, PNG's signature, JPEG's ``FF D8 FF``, an
Office Open XML package is a ZIP archive holding ``word/document.xml`` or ``xl/workbook.xml``);
the name's extension must agree with them. A document with macros is refused whatever its name
(a ``vbaProject.bin`` in the package, or a macro-enabled content type: .docm, .xlsm renamed),
as are the old binary .doc/.xls (which may carry macros unseen). The archive's directory is
read, never unpacked, so a «zip bomb» costs nothing.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from opora.numbers import number
from opora.web.accounts.scope import Action, Viewer
from opora.web.support.models import EventAttachment, SupportEvent
from opora.web.support.services import audit

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: file type → the extensions its name may have
EXTENSIONS = {"pdf": (".pdf",), "docx": (".docx",), "xlsx": (".xlsx",),
              "jpeg": (".jpg", ".jpeg"), "png": (".png",)}
TYPE_NAMES = {"pdf": "PDF", "docx": "документ Word (DOCX)", "xlsx": "таблица Excel (XLSX)",
              "jpeg": "фотография JPEG", "png": "рисунок PNG"}
ALLOWED_TEXT = "PDF, DOCX, XLSX, JPEG, PNG"
_CONTENT_TYPES_LIMIT = 1024 * 1024  # [Content_Types].xml is a few KB


def max_bytes() -> int:
    return int(getattr(settings, "OPORA_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return number(size / 1024 / 1024, 1)


def file_type(handle: IO[bytes], name: str) -> str:
    """The type of the file by its content (a key of :data:`EXTENSIONS`); ValidationError in
    Russian when it is not one of them, carries macros or its extension says otherwise."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        found = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        found = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        found = _office_type(handle)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError("Старый формат Word или Excel (.doc, .xls) не принимается: он может "
                              "нести макросы. Сохраните файл как .docx или .xlsx.")
    else:
        raise ValidationError(f"Файл «{name}» — не {ALLOWED_TEXT}: по содержимому это другой "
                              "тип файла.")
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS[found]:
        raise ValidationError(f"Расширение «{suffix or 'нет'}» не совпадает с содержимым: по "
                              f"содержимому это {TYPE_NAMES[found]}.")
    return found


def _office_type(handle: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = {info.filename for info in archive.infolist()}
            types = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names \
                else None
            content = (archive.read(types) if types is not None
                       and types.file_size <= _CONTENT_TYPES_LIMIT else b"")
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise ValidationError("Файл повреждён: архив документа не читается.") from exc
    finally:
        handle.seek(0)
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroEnabled" in content:
        raise ValidationError("Документ содержит макросы — такие файлы не принимаются. "
                              "Сохраните его без макросов (.docx или .xlsx).")
    if "word/document.xml" in lowered:
        return "docx"
    if "xl/workbook.xml" in lowered:
        return "xlsx"
    raise ValidationError(f"Архив — не документ Word или Excel; допустимы {ALLOWED_TEXT}.")


def check_upload(upload: Any) -> tuple[str, str]:
    """(file type, SHA-256) of an uploaded file, or ValidationError (size, type, macros)."""
    limit = max_bytes()
    if upload.size == 0:
        raise ValidationError(f"Файл «{upload.name}» пуст.")
    if upload.size > limit:
        raise ValidationError(f"Файл «{upload.name}» слишком большой: {_megabytes(upload.size)} "
                              f"МБ, допустимо до {_megabytes(limit)} МБ.")
    kind = file_type(upload, upload.name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


@transaction.atomic
def attachment_add(*, by: Any, event: SupportEvent, upload: Any) -> EventAttachment:
    """Attach a checked file to the event (its editors: who recorded it, methodist, coordinator)."""
    Viewer.of(by).require(Action.EDIT_EVENT, event, "Прикладывать файлы может тот, кто "
                                                    "записал мероприятие, методист или "
                                                    "координатор.")
    kind, sha = check_upload(upload)
    name = PurePath(upload.name).name[:255]
    found = EventAttachment(event=event, original_name=name, file_type=kind, size=upload.size,
                            sha256=sha, uploaded_by=by)
    found.file.save(f"{sha[:16]}{PurePath(name).suffix.lower()}", upload, save=False)
    audit(found, by)
    found.save()
    return found
