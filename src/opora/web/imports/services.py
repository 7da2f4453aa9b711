"""Imports into the database: one file (:func:`import_file`) or a whole data set (:func:`load_tables`).

An import is all-or-nothing (ARCHITECTURE.md, «formats/ never guesses silently»): the file is
read, every row validated, every school matched; only then are the rows written, in one
transaction with their :class:`ImportBatch`. A reader's remark that dropped no row (its
``rejected_rows`` is 0 — e.g. «средний балл не указан (участников: 1)», the value left empty)
does not stop the import: it is shown as a «замечание» and kept in the batch. Anything rejected → no data row changes, the outcome
lists every problem with its place, and a ``failed`` batch record keeps the problems. The same
bytes imported twice for the same territory → nothing changes, and the outcome says when and by
whom they were loaded — also when two uploads of one file run at once (the database's unique
checksum decides, :func:`_load`). Loaded for another territory, the same bytes are no duplicate:
that upload is not this uploader's business (:mod:`opora.web.imports.scope`).

The original file is stored once: a page upload passes ``stored`` (its :class:`UploadEntry`'s
file, already in the media storage) and the batch refers to it; only a file given by path (the
command line) is copied into the batch's own folder.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import QuerySet

from opora.formats import ReadHints, UnreadableFile
from opora.formats.base import Problem, ReadResult
from opora.formats.isolation import IsolatedRead, read_file_isolated, read_many_in_children
from opora.formats.territory import same_municipality
from opora.web.imports.dataset import checksum, read_dataset
from opora.web.imports.errors import ImportErrorCode, ImportRejectedError
from opora.web.imports.loading import MissingRegionError, TableWriter, WriteReport
from opora.web.imports.matching import (
    SCHOOL_TABLES,
    IncomingSchool,
    incoming_schools,
    match_schools,
    same_school_conflicts,
)
from opora.web.imports.models import ImportBatch
from opora.web.imports.outcome import ImportOutcome
from opora.web.imports.registry import create_missing, upsert_registry
from opora.web.imports.replaced import keep_replaced
from opora.web.imports.scope import ImportScope
from opora.web.imports.territories import keep_own_references, unknown_territories
from opora.web.imports.validation import validate_tables
from opora.web.schools.models import Municipality, Region

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class _Attempt:
    """What is known about an import before it succeeds or fails (for the batch record)."""

    kind: str
    name: str
    sha256: str
    user: User | None
    hints: dict[str, Any]
    path: Path | None = None
    format: str = ""
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    municipality_id: int | None = None
    school_id: int | None = None
    stored: str = ""  # the file's name in the media storage, when it is there already

    def batch(self, status: str, problems: Sequence[Problem] = ()) -> ImportBatch:
        batch = ImportBatch(kind=self.kind, format=self.format, original_name=self.name,
                            sha256=self.sha256, imported_by=self.user, status=status,
                            counts=self.counts, hints=self.hints,
                            problems=[p.as_row() for p in problems],
                            municipality_id=self.municipality_id, school_id=self.school_id)
        if self.stored:
            batch.file.name = self.stored  # the upload's own stored file: kept once
        elif self.path is not None and self.path.is_file():
            with self.path.open("rb") as handle:
                batch.file.save(self.path.name, File(handle), save=False)
        batch.save()
        return batch

    def unsaved(self) -> ImportBatch:
        """The batch as it would be recorded, not saved (an outcome that wrote nothing)."""
        return ImportBatch(kind=self.kind, format=self.format, original_name=self.name,
                           sha256=self.sha256, imported_by=self.user, counts=self.counts,
                           hints=self.hints, municipality_id=self.municipality_id,
                           school_id=self.school_id, status=ImportBatch.FAILED)

    def identical(self) -> QuerySet[ImportBatch]:
        return ImportBatch.objects.filter(kind=self.kind, sha256=self.sha256,
                                          status=ImportBatch.SUCCEEDED)


def import_file(*, path: Path | str, user: User | None = None,
                hints: ReadHints | None = None, format: str = "auto", region: Region | None = None,
                municipality: Municipality | None = None,
                create_missing_schools: bool = False,
                scope: ImportScope | None = None, stored: str = "",
                skip_rejected: bool = False, replace: bool = False,
                create_territories: bool = False,
                read: IsolatedRead | None = None) -> ImportOutcome:
    """Read one file (or a normalised data set) and load it, all or nothing.

    ``scope`` (the import page) refuses a file of a format or with schools the uploader may not
    load (:mod:`opora.web.imports.scope`); ``stored`` is the file's name in the media storage
    when it is kept there already (a page upload), so that it is not stored a second time.
    ``skip_rejected`` is the coordinator's explicit choice «загрузить без отклонённых строк»:
    the rows the reader rejected are left out (and listed with the batch), the rest is loaded —
    still all or nothing for what is loaded. Without it a file with a rejected row loads nothing
    and the outcome offers the choice (``ImportOutcome.skippable``).

    A page upload (``scope``) that would replace earlier data writes nothing until the uploader
    agrees (``replace``): the outcome «confirm» says what would be replaced and what written.
    The command line (the administrator's) replaces at once; either way the replaced rows are
    archived with the batch (:mod:`opora.web.imports.replaced`). A page upload writes only
    inside its territory (:mod:`opora.web.imports.territories`); a new region or municipality
    is created only with ``create_territories``.

    ``read``: the file already read in a child process (:func:`read_ahead`, many files) — its
    result or its reason, used instead of reading the file again.
    """
    path = Path(path)
    hints = hints or ReadHints()
    attempt = _Attempt(kind=ImportBatch.KIND_FILE, name=path.name,
                       sha256=checksum(path) if path.exists() else "",
                       user=user, hints=dataclasses.asdict(hints), path=path, stored=stored,
                       municipality_id=(scope.municipality_id if scope else None)
                       or (municipality.pk if municipality else None),
                       school_id=scope.school_id if scope else None)
    if not path.exists():
        problem = Problem(path.name, "файл не найден", ImportErrorCode.FILE_NOT_FOUND)
        return ImportOutcome.failed(attempt.batch(ImportBatch.FAILED, [problem]), [problem])
    earlier = _earlier(attempt, scope)
    if earlier is not None:
        return ImportOutcome.duplicate(earlier)
    try:
        elsewhere = (scope.elsewhere_problem(path.name, attempt.identical())
                     or scope.name_problem(path.name)) if scope else None
        if elsewhere is not None:
            raise ImportRejectedError([elsewhere])
        result = _read(path, format, hints, read)
        attempt.format = result.format
        attempt.counts = {n: t.num_rows for n, t in result.tables.items()}
        kept = sum(t.num_rows for t in result.tables.values())
        if result.rejected_rows and not skip_rejected:
            raise ImportRejectedError(result.problems, rejected_rows=result.rejected_rows,
                                      skippable=kept > 0)
        if result.problems and not kept:
            raise ImportRejectedError(result.problems)
        wrong_format = scope.format_problem(path.name, result.format) if scope else None
        if wrong_format is not None:
            raise ImportRejectedError([wrong_format])
        region = region or (municipality.region if municipality else None)
        outcome = _load(attempt, result, region=region, municipality=municipality,
                        create_missing_schools=create_missing_schools, scope=scope,
                        confirm_replace=scope is not None and not replace,
                        create_territories=create_territories)
        outcome.rejected_rows = result.rejected_rows if skip_rejected else 0
        return outcome
    except _LoadedMeanwhile:
        return _loaded_meanwhile(attempt, scope)
    except _ReplaceNeedsConsent as ask:
        return ImportOutcome.to_confirm(attempt.unsaved(), ask.report, skipped=ask.skipped)
    except ImportRejectedError as exc:
        return ImportOutcome.failed(attempt.batch(ImportBatch.FAILED, exc.problems), exc.problems,
                                    **exc.details)


def load_tables(*, tables: dict[str, pa.Table], user: User | None = None,
                name: str = "набор данных", region: Region | None = None) -> ImportOutcome:
    """Load a whole normalised data set (the generator's output): registry and data, at once.

    Unlike :func:`import_file`, the ``schools`` table here *is* the registry: its schools (and
    their regions and municipalities) are created or updated.
    """
    attempt = _Attempt(kind=ImportBatch.KIND_DATASET, name=name, sha256="", user=user, hints={},
                       format="tables", counts={n: t.num_rows for n, t in tables.items()})
    result = ReadResult(tables={n: t for n, t in tables.items() if n != "truth"}, format="tables")
    try:
        return _load(attempt, result, region=region, municipality=None,
                     create_missing_schools=False, registry=True, create_territories=True)
    except ImportRejectedError as exc:
        return ImportOutcome.failed(attempt.batch(ImportBatch.FAILED, exc.problems), exc.problems,
                                    **exc.details)


def _earlier(attempt: _Attempt, scope: ImportScope | None) -> ImportBatch | None:
    """The same bytes loaded before for this territory (any territory without a scope: the
    command line is the administrator's)."""
    identical = attempt.identical()
    if scope is not None:
        identical = scope.batches(identical)
    return identical.select_related("imported_by").first()


class _ReplaceNeedsConsent(Exception):
    """The import would replace earlier data and the uploader has not agreed yet: everything
    written is rolled back, and the report says what would have been replaced."""

    def __init__(self, report: WriteReport, skipped: int) -> None:
        super().__init__("replacement not confirmed")
        self.report, self.skipped = report, skipped


class _LoadedMeanwhile(Exception):
    """The same file was loaded for the same territory while this import ran (the unique
    checksum refused the second batch)."""


def _loaded_meanwhile(attempt: _Attempt, scope: ImportScope | None) -> ImportOutcome:
    earlier = _earlier(attempt, scope)
    if earlier is not None:
        return ImportOutcome.duplicate(earlier)
    problem = Problem(attempt.name, "этот файл уже загружен; ничего не изменено", "duplicate")
    return ImportOutcome.failed(attempt.batch(ImportBatch.FAILED, [problem]), [problem])


def read_ahead(files: Sequence[tuple[Path, str, ReadHints]]) -> Iterator[IsolatedRead | None]:
    """What each of ``files`` (path, format, hints) reads, in order, for :func:`import_file`'s
    ``read``: the files are read in child processes by chunks, a few children at a time, ahead
    of the caller (:func:`opora.formats.isolation.read_many_in_children`), so that reading the
    next files overlaps writing this one. A directory (a data set) gives None: it is read when
    it is imported. Consumed lazily: only a few chunks are held ahead."""
    is_file = [path.is_file() for path, _, _ in files]
    answers = read_many_in_children([f for f, plain in zip(files, is_file, strict=True) if plain])
    for plain in is_file:
        yield next(answers) if plain else None


def _read(path: Path, format: str, hints: ReadHints, read: IsolatedRead | None = None
          ) -> ReadResult:
    """Read the file in a child process with a memory and time limit (:mod:`opora.formats.isolation`):
    whatever a file does to a reader, the worker lives on and the file gets a Russian reason."""
    try:
        if read is not None:
            if read.result is None:
                raise UnreadableFile(read.reason)
            return read.result
        if path.is_dir():
            return read_dataset(path)
        return read_file_isolated(path, format, hints)
    except UnreadableFile as exc:
        raise ImportRejectedError(
            [Problem(path.name, str(exc), ImportErrorCode.UNREADABLE_FILE)]) from exc


def _load(attempt: _Attempt, result: ReadResult, *, region: Region | None,
          municipality: Municipality | None, create_missing_schools: bool,
          registry: bool = False, scope: ImportScope | None = None,
          confirm_replace: bool = False, create_territories: bool = False) -> ImportOutcome:
    tables = result.tables
    problems = validate_tables(tables, attempt.name if not registry else "")
    if problems:
        raise ImportRejectedError(problems)
    incoming = incoming_schools(tables)
    tables, skipped = _drop_other_municipalities(tables, incoming, municipality)
    if scope is not None and municipality is not None:  # the page: only its own territory
        tables, not_ours = keep_own_references(tables, municipality)
        skipped += not_ours
    unknown = [] if create_territories else unknown_territories(tables.get("reference"), region)
    if unknown:
        raise ImportRejectedError([Problem(
            attempt.name, f"в реестре нет: {', '.join(unknown)}; регионы и муниципалитеты "
            "создаёт администратор системы с подтверждением (команда import с параметром "
            "--create-territories); ничего не сохранено", ImportErrorCode.TERRITORY_NOT_FOUND)])
    try:
        with transaction.atomic():
            batch = attempt.batch(ImportBatch.SUCCEEDED, [*result.problems, *result.notes])
            if registry:
                upsert_registry(tables.get("schools"), region=region)
            incoming = incoming_schools(tables)
            school_ids, missing = match_schools(incoming, municipality=municipality)
            outside = scope.school_problems(attempt.name, school_ids) if scope else []
            if outside:
                raise ImportRejectedError(outside)
            created = _handle_missing(missing, tables, create_missing_schools, municipality, region,
                                      file_label=attempt.name)
            created_names = [s.describe() for s in missing if s.key in created]
            school_ids.update(created)
            conflicts = same_school_conflicts(tables, school_ids, incoming)
            if conflicts:
                raise ImportRejectedError(conflicts)
            report = TableWriter(school_ids=school_ids, batch=batch, region=region).write(tables)
            if confirm_replace and report.data_replaced():
                raise _ReplaceNeedsConsent(report, skipped)
            keep_replaced(batch, report)
            batch.schools_matched = len(school_ids) - len(created)
            batch.counts = {**attempt.counts, "written": report.written}
            batch.save(update_fields=["schools_matched", "counts"])
    except IntegrityError as exc:
        if attempt.sha256 and _earlier(attempt, scope) is not None:
            raise _LoadedMeanwhile from exc
        raise ImportRejectedError(
            [Problem(attempt.name, _reason(exc), ImportErrorCode.DATABASE_REFUSED)]) from exc
    except (MissingRegionError, ValidationError, DatabaseError) as exc:
        raise ImportRejectedError(
            [Problem(attempt.name, _reason(exc), ImportErrorCode.DATABASE_REFUSED)]) from exc
    return ImportOutcome.succeeded(batch, report, created=created_names, skipped=skipped,
                                   notes=[p.message for p in (*result.skipped, *result.notes)],
                                   warnings=result.problems)


def _handle_missing(missing: list[IncomingSchool], tables: dict[str, pa.Table], create: bool,
                    municipality: Municipality | None, region: Region | None, *,
                    file_label: str) -> dict[str, int]:
    if not missing:
        return {}
    if not create:
        raise ImportRejectedError(
            [Problem(file_label, f"школа {s.describe()} не найдена в реестре"
                     + (f" ({s.suggestion})" if s.suggestion else "")
                     + "; проверьте наименование или подтвердите создание новой школы"
                     + (f" (первая строка: {s.source})" if s.source else ""),
                     ImportErrorCode.SCHOOL_NOT_FOUND) for s in missing],
            missing=[s.describe() for s in missing],
            unmatched=[dataclasses.asdict(s) for s in missing])
    return create_missing(missing, tables.get("schools"), municipality=municipality, region=region)


def _drop_other_municipalities(tables: dict[str, pa.Table], incoming: dict[str, IncomingSchool],
                               municipality: Municipality | None
                               ) -> tuple[dict[str, pa.Table], int]:
    """Keep only the rows of the importing municipality's schools (region-wide published files).

    A published table names a municipality by its education body («Комитет образования
    Смидовичского муниципального округа»), the registry by its name («Смидовичский район»): they
    are compared by territory (:func:`opora.formats.territory.same_municipality`)."""
    if municipality is None:
        return tables, 0
    others = [k for k, s in incoming.items()
              if s.municipality and not same_municipality(s.municipality, municipality.name)]
    if not others:
        return tables, 0
    kept, dropped = {}, 0
    for name, table in tables.items():
        if name in SCHOOL_TABLES:
            mask = pc.is_in(table.column("school_key"), pa.array(others))
            dropped += pc.sum(mask).as_py() or 0
            table = table.filter(pc.invert(mask))
        kept[name] = table
    return kept, dropped


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "данные отклонены: " + "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
        return "данные отклонены: " + "; ".join(exc.messages)
    if isinstance(exc, DatabaseError):
        # the database's own text names tables, keys and values (of other territories, too):
        # it goes to the log, the user gets the reason in words
        logger.warning("an import was refused by the database (%s): %s", type(exc).__name__, exc)
        return ("база данных отклонила данные (нарушено ограничение целостности); ничего не "
                "сохранено. Если ошибка повторится, сообщите администратору время загрузки")
    return str(exc)
