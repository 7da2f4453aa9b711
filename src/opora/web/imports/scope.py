"""What one upload may write: the uploader's municipality or school, and which file formats.

A coordinator loads files for their municipality; a school administrator only the ВПР forms and
the context passport of their own school (docs/user-guide.md, «Загрузка файлов через сайт»).
The check runs inside :func:`opora.web.imports.services.import_file`, after the schools are
matched and before anything is written, so a file naming someone else's school is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from opora.formats.base import Problem
from opora.formats.registry import reader_title
from opora.web.schools.models import School

SCHOOL_ADMIN_FORMATS = frozenset({"vpr-form", "context"})


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
                       "format_not_allowed")

    def school_problems(self, file: str, school_ids: dict[str, int]) -> list[Problem]:
        """One problem per matched school outside the scope (one query)."""
        outside = School.objects.filter(pk__in=set(school_ids.values()))
        if self.school_id is not None:
            outside = outside.exclude(pk=self.school_id)
            where = "не ваша школа"
        elif self.municipality_id is not None:
            outside = outside.exclude(municipality_id=self.municipality_id)
            where = "школа другого муниципалитета"
        else:
            return []
        return [Problem(file, f"«{school.short_name}» — {where}; её данные отсюда загружать "
                              "нельзя", "school_out_of_scope")
                for school in outside.order_by("short_name")[:20]]
