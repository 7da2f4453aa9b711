"""Loading a filled-in template of staff, diagnostics or courses: all or nothing.

The reader (:mod:`opora.formats.templates.staff`) reads each cell; here each row is matched to a
school the viewer may edit (its ФИС ОКО login or registry key) and, for diagnostics and courses,
to a teacher of that school (by name or code, as the staff list writes it), and every record is
checked by the model's own rules. Any problem — a cell, a school, a teacher, a duplicate, a rule
— refuses the whole file: nothing is written, and the problems table says where and why. A file
without problems is written in one transaction, each record with its author in the history.

A row matching a record that exists (a working teacher of the same name, a diagnostic of the
same teacher, day and instrument, a course of the same teacher, title and start) updates it; a
record that would not change is not saved again. So loading the same file twice changes
nothing; the same bytes loaded again are recognised by their checksum and named.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from opora.formats.base import Problem, UnreadableFile
from opora.formats.templates.staff import STAFF_TEMPLATES, StaffFileRead, StaffRow, read_staff_file
from opora.web.accounts.scope import Action, Viewer
from opora.web.schools.models import School
from opora.web.staff.models import (
    Course,
    DiagnosticScore,
    StaffImport,
    Teacher,
    TeacherDiagnostic,
)

#: A school's staff is tens of rows and a municipality's development records a few thousand;
#: a file much larger than that is not a filled-in template.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
KIND_ACTION = {"staff": Action.EDIT_STAFF, "diagnostics": Action.EDIT_DEVELOPMENT,
               "courses": Action.EDIT_DEVELOPMENT}
_UNKNOWN_SCHOOL = "unknown_school"
_UNKNOWN_TEACHER = "unknown_teacher"
_RULE = "rule"


@dataclass
class Outcome:
    """What loading a file did: its record, the counts, the problems (nothing written then)."""

    record: StaffImport | None
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    already: StaffImport | None = None  # the same bytes were loaded before

    @property
    def succeeded(self) -> bool:
        return not self.problems


def normal_name(text: str) -> str:
    """A name as compared: case, «ё», spaces do not matter."""
    return " ".join(text.casefold().replace("ё", "е").split())


def import_file(*, kind: str, name: str, content: bytes, viewer: Viewer) -> Outcome:
    """Read, check and (only if everything is right) write one uploaded template."""
    digest = hashlib.sha256(content).hexdigest()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / (Path(name).name or "файл")  # its messages name the file
        path.write_bytes(content)
        try:
            read = read_staff_file(path, kind, original_name=name,
                                   today=timezone.localdate())
        except UnreadableFile as refused:
            problems = [Problem(name, str(refused), "unreadable")]
            return Outcome(_record(kind, name, content, digest, viewer, problems, {}), problems)
    loader = _Loader(kind, name, viewer, read)
    loader.check()
    if loader.problems:
        return Outcome(_record(kind, name, content, digest, viewer, loader.problems, {}),
                       loader.problems)
    earlier = _earlier(kind, digest, list(loader.schools.values()))
    if earlier is not None:
        return Outcome(None, already=earlier)
    with transaction.atomic():
        counts = loader.write()
        record = _record(kind, name, content, digest, viewer, [], counts,
                         schools=list(loader.schools.values()))
        loader.link(record)
    return Outcome(record, created=counts["created"], updated=counts["updated"],
                   unchanged=counts["unchanged"])


def _earlier(kind: str, digest: str, schools: list[School]) -> StaffImport | None:
    """The same bytes loaded before for these schools (for one of them, or for their
    municipality): loading them again would change nothing."""
    return StaffImport.objects.filter(
        Q(school__in=schools) | Q(municipality__in={s.municipality_id for s in schools}),
        kind=kind, sha256=digest, status=StaffImport.SUCCEEDED).first()


def _record(kind: str, name: str, content: bytes, digest: str, viewer: Viewer,
            problems: list[Problem], counts: dict[str, int],
            schools: list[School] | None = None) -> StaffImport:
    """The audit record of one file, refused or loaded, with the original bytes."""
    schools = schools or []
    municipalities = {s.municipality_id for s in schools}
    record = StaffImport(
        kind=kind, original_name=name[:300], sha256=digest, imported_by=viewer.user,
        status=StaffImport.FAILED if problems else StaffImport.SUCCEEDED, counts=counts,
        problems=[p.as_row() for p in problems[:1000]],
        municipality_id=next(iter(municipalities)) if len(municipalities) == 1 else None,
        school=schools[0] if len(schools) == 1 else None)
    record.file.save(Path(name).name or "file.xlsx", ContentFile(content), save=False)
    record.save()
    return record


class _Loader:
    """Matches rows to schools and teachers, builds the records, checks them, writes them."""

    def __init__(self, kind: str, file: str, viewer: Viewer, read: StaffFileRead) -> None:
        self.kind, self.file, self.viewer, self.read = kind, file, viewer, read
        self.template = STAFF_TEMPLATES[kind]
        self.problems: list[Problem] = list(read.problems)
        self.schools: dict[str, School] = {}
        self.planned: list[tuple[Any, models.Model | None]] = []
        self.saved: list[models.Model] = []
        self.seen: dict[tuple[object, ...], StaffRow] = {}
        self.unchanged = 0

    def problem(self, row: StaffRow, field_name: str | None, message: str, code: str) -> None:
        column = ""
        if field_name:
            message = f"«{self.template.column(field_name).title}»: {message}"
        self.problems.append(Problem(self.file, message, code, row.sheet, row.row, column))

    # --- matching -------------------------------------------------------------------------

    def check(self) -> None:
        rows = self.read.rows
        if not rows and not self.problems:
            self.problems.append(Problem(self.file, "в файле нет ни одной строки данных",
                                         "empty"))
            return
        schools = self._schools({str(r.values["school_key"]) for r in rows})
        teachers = self._teachers(schools.values())
        for row in rows:
            school = schools.get(normal_name(str(row.values["school_key"])))
            if school is None:
                self.problem(row, "school_key", f"школа «{row.values['school_key']}» не найдена "
                             "среди школ, где вы можете записывать эти данные", _UNKNOWN_SCHOOL)
                continue
            self.schools[school.key] = school
            if self.kind == "staff":
                self._plan_teacher(row, school, teachers)
                continue
            found = teachers.get((school.pk, normal_name(str(row.values["teacher"]))), [])
            if len(found) != 1:
                self.problem(row, "teacher", (
                    f"педагог «{row.values['teacher']}» не найден среди педагогов школы "
                    f"{school.short_name}: добавьте его на странице «Педагоги школы»")
                    if not found else "два педагога школы записаны так — уточните в Опоре",
                    _UNKNOWN_TEACHER)
                continue
            if self.kind == "courses":
                self._plan_course(row, found[0])
        if self.kind == "diagnostics" and not self.problems:
            self._plan_diagnostics(rows, schools, teachers)

    def _schools(self, keys: set[str]) -> dict[str, School]:
        """File key (login or registry key, as compared) → a school the viewer may edit."""
        wanted = {normal_name(k) for k in keys}
        found = School.objects.select_related("municipality__region").filter(
            Q(key__in=keys) | Q(fis_oko_login__in=keys) | Q(key__in=wanted)
            | Q(fis_oko_login__in=wanted))
        action = KIND_ACTION[self.kind]
        allowed = {}
        for school in found:
            if self.viewer.may_see_school(school) and self.viewer.may(action, school):
                for key in (school.key, school.fis_oko_login):
                    if key:
                        allowed[normal_name(key)] = school
        return allowed

    @staticmethod
    def _teachers(schools: Iterable[School]) -> dict[tuple[int, str], list[Teacher]]:
        """(school, name as compared) → its teachers: the working ones if there are any."""
        grouped: dict[tuple[int, str], list[Teacher]] = defaultdict(list)
        for teacher in Teacher.objects.filter(school__in=list(schools)):
            grouped[(teacher.school_id, normal_name(teacher.name))].append(teacher)
        return {key: [t for t in same if t.active_to is None] or same
                for key, same in grouped.items()}

    def _once(self, row: StaffRow, key: tuple[object, ...]) -> bool:
        """False (and a problem) when an earlier row of the file is the same record written
        another way (the school by its login in one row and by its key in another)."""
        first = self.seen.setdefault(key, row)
        if first is not row:
            self.problem(row, None, f"повтор: та же запись, что в строке {first.row}; какая "
                                    "верна, неизвестно — оставьте одну", "duplicate_key")
            return False
        return True

    # --- planning: the records as they will be, checked by the models' rules ----------------

    def _plan_teacher(self, row: StaffRow, school: School,
                      teachers: dict[tuple[int, str], list[Teacher]]) -> None:
        values = row.values
        key = (school.pk, normal_name(str(values["name"])))
        if not self._once(row, ("teacher", *key)):
            return
        teacher = next((t for t in teachers.get(key, []) if t.active_to is None), None)
        given = {"name": values["name"], "name_is_code": bool(values["name_is_code"]),
                 "position": values["position"], "subjects": values["subjects"],
                 "category": values["category"], "experience_years": values["experience_years"],
                 "active_from": values["active_from"]}
        if teacher is None:
            teacher = Teacher(school=school, subjects=[], category="no_category")
        self._plan(row, teacher, {k: v for k, v in given.items() if v is not None})

    def _plan_course(self, row: StaffRow, teacher: Teacher) -> None:
        values = row.values
        if not self._once(row, ("course", teacher.pk, normal_name(str(values["title"])),
                                values["start"])):
            return
        course = Course.objects.filter(teacher=teacher, title__iexact=str(values["title"]),
                                       start=values["start"]).first() or Course(teacher=teacher)
        self._plan(row, course, {
            "title": values["title"], "provider": values["provider"] or "",
            "hours": values["hours"], "start": values["start"], "end": values["end"],
            "completed": bool(values["completed"]),
            "certificate_number": values["certificate_number"] or ""})

    def _plan_diagnostics(self, rows: list[StaffRow], schools: dict[str, School],
                          teachers: dict[tuple[int, str], list[Teacher]]) -> None:
        grouped: dict[tuple[Teacher, Any, Any], list[StaffRow]] = defaultdict(list)
        for row in rows:
            school = schools[normal_name(str(row.values["school_key"]))]
            teacher = teachers[(school.pk, normal_name(str(row.values["teacher"])))][0]
            if self._once(row, ("score", teacher.pk, row.values["date"],
                                row.values["instrument"], row.values["domain"])):
                grouped[(teacher, row.values["date"], row.values["instrument"])].append(row)
        for (teacher, date, instrument), group in grouped.items():
            diagnostic = TeacherDiagnostic.objects.filter(
                teacher=teacher, date=date, instrument=instrument).first()
            notes = {str(r.values["note"]) for r in group if r.values["note"]}
            diagnostic = diagnostic or TeacherDiagnostic(teacher=teacher, date=date,
                                                         instrument=instrument)
            old = {sc.domain: sc for sc in diagnostic.scores.all()} if diagnostic.pk else {}
            changes = {"note": "; ".join(sorted(notes))} if notes else {}
            if not self._plan(group[0], diagnostic, changes, always=not diagnostic.pk):
                continue
            for row in group:
                score = old.get(str(row.values["domain"])) or DiagnosticScore(
                    domain=row.values["domain"])
                self._plan(row, score, {"score": row.values["score"],
                                        "max_score": row.values["max_score"],
                                        "level": row.values["level"] or ""},
                           exclude=["diagnostic"], parent=diagnostic)

    def _plan(self, row: StaffRow, record: Any, changes: dict[str, Any], *, always: bool = False,
              exclude: list[str] | None = None, parent: models.Model | None = None) -> bool:
        """Apply ``changes``, check the record; plan it for writing if it is new or changed."""
        changed = record.pk is None or always or any(
            getattr(record, k) != v for k, v in changes.items())
        for name, value in changes.items():
            setattr(record, name, value)
        try:
            record.full_clean(exclude=["batch", *(exclude or [])])
        except ValidationError as refused:
            for name, messages in refused.message_dict.items():
                known = name in {c.field for c in self.template.columns}
                for message in messages:
                    self.problem(row, name if known else None, message, _RULE)
            return False
        if changed:
            self.planned.append((record, parent))
        else:
            self.unchanged += 1
        return True

    # --- writing ----------------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        counts = Counter(created=0, updated=0, unchanged=self.unchanged)
        for record, parent in self.planned:
            counts["created" if record.pk is None else "updated"] += 1
            if parent is not None:
                record.diagnostic = parent
            record._history_user = self.viewer.user
            record.save()
            self.saved.append(record)
        return dict(counts)

    def link(self, batch: StaffImport) -> None:
        """Point the written records at their file (not a change of the record: no history)."""
        for model in (Teacher, TeacherDiagnostic, Course):
            ids = [r.pk for r in self.saved if type(r) is model]
            if ids:
                model.objects.filter(pk__in=ids).update(batch=batch)
