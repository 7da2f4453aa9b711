"""Checks of an uploaded file before it is stored: size, extension and what the bytes look like.

The extension alone is not trusted (a renamed file would reach the readers): an ``.xlsx`` must be
a zip archive holding ``xl/workbook.xml`` (Office Open XML, ECMA-376 part 2), an ``.xls`` an OLE2
compound file (its first 8 bytes ``D0 CF 11 E0 A1 B1 1A E1``), a ``.parquet`` file starts with
``PAR1``, and a ``.csv`` file is text: no NUL byte and valid UTF-8 or Windows-1251 in its first
64 KiB. Messages are Russian and name the file.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from opora.numbers import number

ALLOWED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv", ".parquet")
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_SNIFF = 64 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "OPORA_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def upload_problem(upload: UploadedFile) -> str | None:
    """Why the file is refused (Russian, with its name), or None when it may be stored."""
    name = PurePath(upload.name or "").name
    limit = max_upload_bytes()
    if (upload.size or 0) > limit:
        return (f"Файл «{name}» слишком большой: {_megabytes(upload.size or 0)} МБ при допустимых "
                f"{_megabytes(limit)} МБ.")
    if not upload.size:
        return f"Файл «{name}» пустой."
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        return (f"Файл «{name}»: такой вид файла не принимается; загрузите таблицу Excel (.xlsx, "
                ".xls), CSV или Parquet.")
    if not _content_matches(upload, extension):
        return (f"Файл «{name}»: содержимое не похоже на {_KIND_RU[extension]} — возможно, файл "
                "переименован или повреждён.")
    return None


_KIND_RU = {".xlsx": "книгу Excel (.xlsx)", ".xlsm": "книгу Excel (.xlsm)",
            ".xls": "книгу Excel 97–2003 (.xls)", ".csv": "текстовый файл CSV",
            ".parquet": "файл Parquet"}


def _megabytes(size: int) -> str:
    return number(size / 1024 / 1024, 1)


def _content_matches(upload: UploadedFile, extension: str) -> bool:
    handle: IO[bytes] = upload.file  # type: ignore[assignment]
    handle.seek(0)
    try:
        if extension in (".xlsx", ".xlsm"):
            return _is_workbook_zip(handle)
        head = handle.read(_SNIFF)
        if extension == ".xls":
            return head.startswith(_OLE2)
        if extension == ".parquet":
            return head.startswith(b"PAR1")
        return _is_text(head)
    finally:
        handle.seek(0)


def _is_workbook_zip(handle: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(handle) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(head) - 3:
                return True  # a multibyte character cut by the 64 KiB window
            continue
        return True
    return False
