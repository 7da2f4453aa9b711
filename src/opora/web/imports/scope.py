"""What one upload may write: the uploader's municipality or school, and which file formats.

A coordinator loads files for their municipality; a school administrator only the ВПР forms and
the context passport of their own school (docs/user-guide.md, «Загрузка файлов через сайт»).
The check runs inside :func:`opora.web.imports.services.import_file`, after the schools are
matched and before anything is written, so a file naming someone else's school is refused whole.

Nothing about another territory is said (issue 10): a school outside the scope is named by the
code the file itself gives it, never by the registry's name (which the uploader could otherwise
enumerate by trying ФИС ОКО logins); an identical file loaded elsewhere is not reported as «already
loaded» with who, when and which batch — only the uploader's own territory's batches are
(:meth:`ImportScope.batches`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.db.models import QuerySet

from opora.formats.base import Problem
from opora.formats.registry import reader_title
from opora.formats.vpr.metadata import meta_from_name
from opora.web.imports.errors import ImportErrorCode
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import School

SCHOOL_ADMIN_FORMATS = frozenset({"vpr-form", "context"})
OTHER_SCHOOLS_FILE = ("этот файл относится к другой школе: загружать его можно только для неё, "
                      "вам — только файлы своей школы; ничего не сохранено")


@dataclass(frozen=True)
class ImportScope:
    """Where the rows of one import may go; ``None`` fields do not restrict."""

    municipality_id: int | None = None
    school_id: int | None = None
    formats: frozenset[str] | None = None

    def format_problem(self, file: str, format: str) -> Problem | None:
        if self.formats is None or format in self.formats:
            return None
        allowed = ", ".join(reader_title(f) for f in sorted(self.formats))
        return Problem(file, f"этот вид файла вам загружать нельзя; допустимы: {allowed}",
                       ImportErrorCode.FORMAT_NOT_ALLOWED)

    def batches(self, queryset: QuerySet[ImportBatch]) -> QuerySet[ImportBatch]:
        """The batches of this territory: a school's own, or everything of the municipality
        (its schools' uploads included — the coordinator sees those uploads anyway)."""
        if self.school_id is not None:
            return queryset.filter(school_id=self.school_id)
        if self.municipality_id is not None:
            return queryset.filter(municipality_id=self.municipality_id)
        return queryset

    def elsewhere_problem(self, file: str, identical: QuerySet[ImportBatch]) -> Problem | None:
        """A school administrator's file already loaded for another school is that school's:
        its ВПР forms and passport are per school (the file's own school is taken from the
        upload, so it would otherwise be loaded as theirs). Only that is said — not where, who or
        when. A coordinator's file loaded in another municipality is read as usual: a region's
        published table is loaded by every municipality, each keeping its own schools' rows."""
        if self.school_id is None:
            return None
        if identical.filter(school__isnull=False).exclude(school_id=self.school_id).exists():
            return Problem(file, OTHER_SCHOOLS_FILE, ImportErrorCode.SCHOOL_OUT_OF_SCOPE)
        return None

    def name_problem(self, file: str) -> Problem | None:
        """A school administrator's ВПР form named by another school's ФИС ОКО login
        (``edu053002_РУ_4.xlsx``) is refused: the upload would take it as their school's."""
        if self.school_id is None:
            return None
        named = meta_from_name(PurePath(file).stem).school_key
        own = School.objects.filter(pk=self.school_id).values_list("key", "fis_oko_login").first()
        if named is None or own is None or not own[1]:  # no login of ours known: cannot tell
            return None
        if named.lower() in {v.lower() for v in own if v}:
            return None
        return Problem(file, f"имя файла называет школу с кодом «{named}», а не вашу; "
                             "загружать можно только файлы своей школы",
                       ImportErrorCode.SCHOOL_OUT_OF_SCOPE)

    def school_problems(self, file: str, school_ids: dict[str, int]) -> list[Problem]:
        """One problem per school of the file outside the scope (one query), named by the code
        the file gives it."""
        outside = School.objects.filter(pk__in=set(school_ids.values()))
        if self.school_id is not None:
            outside = outside.exclude(pk=self.school_id)
            where = "это не ваша школа"
        elif self.municipality_id is not None:
            outside = outside.exclude(municipality_id=self.municipality_id)
            where = "школа не из вашего муниципалитета"
        else:
            return []
        ids = set(outside.values_list("pk", flat=True))
        keys = sorted(key for key, pk in school_ids.items() if pk in ids)
        return [Problem(file, f"школа с кодом «{key}» в файле: {where}; её данные отсюда "
                              "загружать нельзя", ImportErrorCode.SCHOOL_OUT_OF_SCOPE)
                for key in keys[:20]]
