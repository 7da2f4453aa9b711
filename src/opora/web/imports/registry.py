"""The school registry from the ``schools`` table: upserting a data set's registry, and creating
the schools a coordinator confirmed as new."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from opora.formats.base import Problem
from opora.web.imports.errors import ImportErrorCode, ImportRejectedError
from opora.web.imports.loading import MissingRegionError, rows
from opora.web.imports.matching import IncomingSchool
from opora.web.schools.models import Municipality, Region, School
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_alias_confirm,
)

SCHOOL_FIELDS = ("number", "short_name", "full_name", "kind", "microdistrict", "address",
                 "latitude", "longitude", "fis_oko_login", "active_from", "active_to")
_TEXT = {"short_name", "full_name", "kind", "microdistrict", "address"}


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    fields = {f: row.get(f) for f in SCHOOL_FIELDS}
    for name in _TEXT:
        fields[name] = fields[name] or ""
    fields["short_name"] = fields["short_name"] or row["school_key"]
    return fields


def _municipality(row: dict[str, Any], region: Region | None,
                  known: dict[tuple[str, str], Municipality] | None = None
                  ) -> Municipality | None:
    """The row's municipality (created if new); ``known`` remembers those found already in
    this import (a region's 951 schools name 30 municipalities: 2 queries a school saved)."""
    if not row.get("municipality"):
        return None
    key = (row.get("region") or "", row["municipality"])
    if known is not None and key in known:
        return known[key]
    if row.get("region"):
        region = region_get_or_create(name=row["region"])
    if region is None:
        raise MissingRegionError()
    found = municipality_get_or_create(region=region, name=row["municipality"])
    if known is not None:
        known[key] = found
    return found


def upsert_registry(schools: pa.Table | None, *, region: Region | None) -> None:
    """Create or update every school of the table (by ``key``), with its territory.

    Saved one by one, not in bulk, so that simple-history records who created or changed each
    school (ARCHITECTURE.md, pitfalls: no history for bulk writes).
    """
    if schools is None:
        return
    existing = {s.key: s for s in School.objects.all()}
    known: dict[tuple[str, str], Municipality] = {}
    for index, row in enumerate(rows(schools), start=1):
        municipality = _municipality(row, region, known)
        if municipality is None:
            raise ImportRejectedError([Problem("schools.parquet", "не указан муниципалитет школы",
                                               ImportErrorCode.MUNICIPALITY_MISSING, row=index,
                                               column="municipality")])
        school = existing.get(row["school_key"]) or School(key=row["school_key"])
        fields = {"municipality_id": municipality.pk, **_fields(row)}
        if school.pk is not None and all(getattr(school, k) == v for k, v in fields.items()):
            continue  # unchanged: no save, no history row
        for name, value in fields.items():
            setattr(school, name, value)
        school.full_clean()
        school.save()


def create_missing(missing: list[IncomingSchool], schools: pa.Table | None, *,
                   municipality: Municipality | None, region: Region | None) -> dict[str, int]:
    """Create the schools the coordinator confirmed as new; return their key → id."""
    described = {r["school_key"]: r for r in rows(schools)} if schools is not None else {}
    created, problems = {}, []
    for incoming in missing:
        row = described.get(incoming.key, {"school_key": incoming.key})
        row.setdefault("short_name", incoming.name)
        row["municipality"] = row.get("municipality") or incoming.municipality
        place = municipality or _municipality(row, region)
        if place is None:
            problems.append(Problem(incoming.source or incoming.key,
                                    f"школа {incoming.describe()}: не известен муниципалитет, "
                                    "укажите его при загрузке",
                                    ImportErrorCode.MUNICIPALITY_MISSING))
            continue
        school = School(key=incoming.key, municipality=place, **_fields(row))
        school.full_clean()
        school.save()
        if incoming.name and incoming.name != school.short_name:
            school_alias_confirm(school=school, name=incoming.name,
                                 municipality_name=incoming.municipality, source=incoming.source)
        created[incoming.key] = school.pk
    if problems:
        raise ImportRejectedError(problems)
    return created
