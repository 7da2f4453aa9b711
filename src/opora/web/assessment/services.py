"""Writes of the assessment catalogue: the procedures and subjects of :mod:`opora.catalog`."""

from __future__ import annotations

from django.db import transaction

from opora.catalog import PROCEDURES, SUBJECTS
from opora.web.assessment.models import Procedure, Subject


@transaction.atomic
def catalog_ensure() -> tuple[dict[str, int], dict[str, int]]:
    """Make the database's procedures and subjects match the catalogue; return code → id maps.

    The catalogue in code is the source of truth (readers and the engine use its codes); the rows
    exist so that results can reference them and the admin can show Russian names.
    """
    procedures = {p.code: p for p in Procedure.objects.all()}
    for code, spec in PROCEDURES.items():
        row = procedures.get(code)
        if row is None:
            procedures[code] = Procedure.objects.create(code=code, name=spec.name_ru)
        elif row.name != spec.name_ru:
            row.name = spec.name_ru
            row.save(update_fields=["name"])
    subjects = {s.code: s for s in Subject.objects.all()}
    for code, subject in SUBJECTS.items():
        subject_row = subjects.get(code)
        if subject_row is None:
            subjects[code] = Subject.objects.create(code=code, name=subject.name_ru,
                                                    marker=subject.short_ru)
        elif (subject_row.name, subject_row.marker) != (subject.name_ru, subject.short_ru):
            subject_row.name, subject_row.marker = subject.name_ru, subject.short_ru
            subject_row.save(update_fields=["name", "marker"])
    return ({c: p.pk for c, p in procedures.items()}, {c: s.pk for c, s in subjects.items()})
