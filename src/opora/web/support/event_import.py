"""Loading an event log: every row checked against the database, then all rows or none.

The reader (:mod:`opora.formats.templates.events`) reads the cells; here each row's schools are
found in the importer's municipality by their code (the registry's key or the ФИС ОКО login), the
participants among the teachers of those schools by name or code, the subjects by name, and the
event is checked as the form checks it (:func:`~opora.web.support.services.events.
event_problems`). A curator may load only events of the schools assigned to them. Any problem →
nothing is saved and the problems table says sheet, row, column and why; otherwise every event is
created in one transaction with the :class:`~opora.web.support.models.EventImport` that made it.

Idempotent: the same bytes loaded again for the same municipality change nothing (reported as
already loaded), and a row describing an event already recorded (same start, kind, topic and
schools) is skipped and counted, so overlapping logs may be loaded one after another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile
from opora.formats.templates.events import EventLog, EventRow, read_event_log
from opora.web.accounts.scope import Action, Viewer
from opora.web.schools.models import Municipality, School
from opora.web.staff.models import Teacher
from opora.web.staff.subjects import subject_from_text
from opora.web.support.models import EventImport, SupportEvent
from opora.web.support.services.events import EventData, event_create, event_problems


class EventImportCode(StrEnum):
    """Why a row of the event log was refused (stable values, kept with the import)."""

    UNREADABLE = "unreadable_file"
    SCHOOL_NOT_FOUND = "school_not_found"
    SCHOOL_NOT_YOURS = "school_out_of_scope"
    TEACHER_NOT_FOUND = "teacher_not_found"
    SUBJECT_UNKNOWN = "unknown_subject"
    EVENT_INVALID = "event_invalid"


#: Where each field of :func:`event_problems` is in the template.
COLUMN_OF = {"starts_at": "date", "ends_at": "end", "organiser_kind": "organiser"}


@dataclass
class ImportResult:
    record: EventImport | None  # None: the same file was loaded before (``earlier``)
    earlier: EventImport | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.record is not None and self.record.status == EventImport.SUCCEEDED


class _Lookup:
    """The municipality's schools by code and their teachers by name, read once."""

    def __init__(self, municipality: Municipality) -> None:
        self.schools: dict[str, School] = {}
        for school in School.objects.filter(municipality=municipality):
            for code in (school.key, school.fis_oko_login):
                if code:
                    self.schools[normalize_label(code)] = school
        self.teachers: dict[tuple[int, str], Teacher] = {}
        for teacher in Teacher.objects.filter(school__municipality=municipality).select_related(
                "school").order_by(
                "active_to", "pk"):  # a working teacher (no end) wins over a namesake who left
            self.teachers.setdefault((teacher.school_id, normalize_label(teacher.name)), teacher)


def _problem(file: str, row: EventRow, column: str, message: str, code: str) -> Problem:
    return Problem(file, message, code, row.sheet, row.row, row.columns.get(column, ""))


def _row_data(row: EventRow, lookup: _Lookup, viewer: Viewer,
              file: str) -> tuple[EventData | None, list[Problem]]:
    v, problems = row.values, []
    schools = []
    for code in v["schools"]:
        school = lookup.schools.get(normalize_label(code))
        if school is None:
            problems.append(_problem(file, row, "schools", f"школа с кодом «{code}» не найдена "
                                     "в вашем муниципалитете", EventImportCode.SCHOOL_NOT_FOUND))
        elif not viewer.may(Action.RECORD_EVENT, school):
            problems.append(_problem(file, row, "schools", f"школа с кодом «{code}» не "
                                     "закреплена за вами: записывать мероприятия можно только "
                                     "для своих школ", EventImportCode.SCHOOL_NOT_YOURS))
        else:
            schools.append(school)
    teachers = []
    for name in v["participants"]:
        found = next((lookup.teachers[(s.pk, normalize_label(name))] for s in schools
                      if (s.pk, normalize_label(name)) in lookup.teachers), None)
        if found is None:
            problems.append(_problem(file, row, "participants", f"педагог «{name}» не найден "
                                     "среди педагогов школ этого мероприятия",
                                     EventImportCode.TEACHER_NOT_FOUND))
        else:
            teachers.append(found)
    subjects = []
    for name in v["subjects"]:
        code = subject_from_text(name)
        if code is None:
            problems.append(_problem(file, row, "subjects", f"«{name}» — неизвестный предмет",
                                     EventImportCode.SUBJECT_UNKNOWN))
        else:
            subjects.append(code)
    leader = None
    if v["organiser_school"]:
        leader = lookup.schools.get(normalize_label(v["organiser_school"]))
        if leader is None:
            problems.append(_problem(file, row, "organiser_school", "школа с кодом "
                                     f"«{v['organiser_school']}» не найдена в вашем "
                                     "муниципалитете", EventImportCode.SCHOOL_NOT_FOUND))
    if problems:
        return None, problems
    return _data(v, viewer, schools, teachers, subjects, leader), []


def _data(v: dict[str, Any], viewer: Viewer, schools: list[School], teachers: list[Teacher],
          subjects: list[str], leader: School | None) -> EventData:
    start = timezone.make_aware(dt.datetime.combine(v["date"], v["start"]))
    end = timezone.make_aware(dt.datetime.combine(v["date"], v["end"]))
    own = {"curator": "curator", "methodist": "methodist", "coordinator": "coordinator"}
    organiser = viewer.user if own.get(v["organiser"]) in viewer.held() else None
    return EventData(
        kind=v["kind"], kind_name=v["kind_name"] or "", topic=v["topic"] or "", starts_at=start,
        ends_at=end, status=v["status"], status_reason=v["status_reason"] or "",
        online=bool(v["format"]), place=v["place"] or "", organiser_kind=v["organiser"],
        organiser=organiser, organiser_school=leader if v["organiser"] == "leader_school"
        else None, schools=schools, participants=teachers, subjects=subjects,
        outcome=v["outcome"] or "", agreements=v["agreements"] or "")


def _recorded(municipality: Municipality, data: EventData) -> bool:
    """An event with the same start, kind, topic and schools is recorded already."""
    same = SupportEvent.objects.filter(municipality=municipality, starts_at=data.starts_at,
                                       kind=data.kind, topic__iexact=data.topic.strip())
    wanted = {s.pk for s in data.schools}
    return any(set(e.event_schools.values_list("school_id", flat=True)) == wanted
               for e in same[:5])


def _check(log: EventLog, municipality: Municipality, viewer: Viewer,
           file: str) -> tuple[list[EventData], int, list[Problem]]:
    lookup = _Lookup(municipality)
    ready, already, problems = [], 0, list(log.problems)
    for row in log.rows:
        data, found = _row_data(row, lookup, viewer, file)
        if data is None:
            problems.extend(found)
            continue
        invalid = event_problems(data)
        for name, messages in invalid.items():
            column = COLUMN_OF.get(name, name)
            problems.extend(_problem(file, row, column, m, EventImportCode.EVENT_INVALID)
                            for m in messages)
        if not invalid:
            if _recorded(municipality, data):
                already += 1
            else:
                ready.append(data)
    return ready, already, problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_event_log(*, by: Any, municipality: Municipality, path: Path,
                     name: str = "") -> ImportResult:
    """Load the event log at ``path`` for ``municipality``: all rows or none."""
    viewer = Viewer.of(by)
    name = name or path.name
    sha = _sha256(path)
    earlier = EventImport.objects.filter(municipality=municipality, sha256=sha,
                                         status=EventImport.SUCCEEDED).first()
    if earlier is not None:
        return ImportResult(None, earlier=earlier)
    base = {"municipality": municipality, "imported_by": by, "original_name": name[:255],
            "sha256": sha}
    try:
        log = read_event_log(path)
    except UnreadableFile as exc:
        problem = Problem(name, str(exc), EventImportCode.UNREADABLE)
        return _failed(base, [problem], {"rows": 0})
    ready, already, problems = _check(log, municipality, viewer, name)
    counts = {"rows": len(log.rows) + log.rejected_rows, "rejected": log.rejected_rows,
              "already": already}
    if problems:
        return _failed(base, problems, counts)
    try:
        with transaction.atomic():
            record = EventImport(status=EventImport.SUCCEEDED, counts={**counts,
                                                                       "created": len(ready)},
                                 **base)
            with path.open("rb") as handle:
                record.file.save(f"{sha[:16]}{path.suffix.lower()}", File(handle), save=False)
            record.save()
            for data in ready:
                event_create(by=by, data=data, imported=record)
    except IntegrityError:  # loaded meanwhile by another request
        earlier = EventImport.objects.filter(municipality=municipality, sha256=sha,
                                             status=EventImport.SUCCEEDED).first()
        return ImportResult(None, earlier=earlier)
    return ImportResult(record)


def _failed(base: dict[str, Any], problems: list[Problem],
            counts: dict[str, int]) -> ImportResult:
    record = EventImport.objects.create(status=EventImport.FAILED, counts=counts,
                                        problems=[p.as_row() for p in problems], **base)
    return ImportResult(record, problems=problems)


def imports_of(viewer: Viewer) -> Any:
    """The imports the viewer sees: their own; a municipality's for its coordinator."""
    if viewer.superuser:
        return EventImport.objects.all()
    return EventImport.objects.filter(Q(imported_by_id=viewer.user.pk)
                                      | Q(municipality_id__in=viewer.coordinated_ids()))
