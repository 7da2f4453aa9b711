"""Loading the questionnaire results table: every row checked against the database, then all
rows or none.

The reader (:mod:`opora.formats.templates.risk_profiles`) reads the cells; here each row's school
is found in the loader's municipality by its ФИС ОКО login or registry code (a school
administrator: only their school), the factor must belong to the catalogue of the row's year,
and the rows of one school and year become one profile (:func:`~opora.web.programmes.services.
profiles.profile_save`, factors not in the file kept). Any problem → nothing is saved and the
problems table says sheet, row, column and why. The same bytes loaded again for the same
municipality change nothing; a file with the same values changes nothing either (unchanged
factors are not rewritten).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile
from opora.formats.templates.risk_profiles import ProfileLog, read_risk_profiles
from opora.glossary import risk_catalogue, risk_factor_name
from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import RiskProfileImport
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.schools.models import Municipality, School


class ProfileImportCode(StrEnum):
    """Why a row was refused (stable values, kept with the import)."""

    UNREADABLE = "unreadable_file"
    SCHOOL_NOT_FOUND = "school_not_found"
    SCHOOL_NOT_YOURS = "school_out_of_scope"
    FACTOR_NOT_IN_CATALOGUE = "factor_not_in_catalogue"


@dataclass
class ImportResult:
    record: RiskProfileImport | None  # None: the same file was loaded before (``earlier``)
    earlier: RiskProfileImport | None = None
    problems: list[Problem] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _schools(municipality: Municipality) -> dict[str, School]:
    found: dict[str, School] = {}
    for school in School.objects.filter(municipality=municipality).select_related(
            "municipality"):
        for code in (school.key, school.fis_oko_login):
            if code:
                found[normalize_label(code)] = school
    return found


def _check(log: ProfileLog, municipality: Municipality, viewer: Viewer, file: str
           ) -> tuple[dict[tuple[School, int], dict[str, FactorValue]], list[Problem]]:
    schools = _schools(municipality)
    ready: dict[tuple[School, int], dict[str, FactorValue]] = defaultdict(dict)
    problems = list(log.problems)
    for row in log.rows:
        v = row.values
        school = schools.get(normalize_label(v["school"]))
        if school is None:
            problems.append(row.problem(file, "school", f"школа с логином «{v['school']}» не "
                                        "найдена в вашем муниципалитете",
                                        ProfileImportCode.SCHOOL_NOT_FOUND))
            continue
        if not viewer.may(Action.EDIT_RISK_PROFILE, school):
            problems.append(row.problem(file, "school", f"школа «{v['school']}» не ваша: "
                                        "руководитель школы загружает профиль только своей "
                                        "школы", ProfileImportCode.SCHOOL_NOT_YOURS))
            continue
        catalogue = risk_catalogue(int(v["year"]))
        if v["factor"] not in catalogue.factors:
            problems.append(row.problem(
                file, "factor", f"фактор «{risk_factor_name(v['factor'])}» не входит в каталог "
                f"{v['year']} года ({catalogue.name_ru})",
                ProfileImportCode.FACTOR_NOT_IN_CATALOGUE))
            continue
        ready[(school, int(v["year"]))][v["factor"]] = FactorValue(v["level"], v["score"])
    return ready, problems


def import_risk_profiles(*, by: Any, municipality: Municipality, path: Path,
                         name: str = "") -> ImportResult:
    """Load the table at ``path`` for ``municipality``: all rows or none."""
    viewer = Viewer.of(by)
    viewer.require(Action.EDIT_RISK_PROFILE, None, "Профили загружают координатор и "
                                                   "руководитель школы.")
    name = name or path.name
    sha = sha256_of(path)
    earlier = RiskProfileImport.objects.filter(municipality=municipality, sha256=sha,
                                               status=RiskProfileImport.SUCCEEDED).first()
    if earlier is not None:
        return ImportResult(None, earlier=earlier)
    base = {"municipality": municipality, "imported_by": by, "original_name": name[:255],
            "sha256": sha}
    try:
        log = read_risk_profiles(path)
    except UnreadableFile as exc:
        return _failed(base, [Problem(name, str(exc), ProfileImportCode.UNREADABLE)],
                       {"rows": 0})
    ready, problems = _check(log, municipality, viewer, name)
    counts = {"rows": len(log.rows) + log.rejected_rows, "rejected": log.rejected_rows,
              "profiles": len(ready), "schools": len({s.pk for s, _ in ready})}
    if problems:
        return _failed(base, problems, counts)
    try:
        with transaction.atomic():
            record = RiskProfileImport(status=RiskProfileImport.SUCCEEDED, counts=counts, **base)
            with path.open("rb") as handle:
                record.file.save(f"{sha[:16]}{path.suffix.lower()}", File(handle), save=False)
            record.save()
            for (school, year), values in ready.items():
                profile_save(by=by, school=school, year=year, values=values, replace=False,
                             imported=record)
    except IntegrityError:  # the same file loaded meanwhile by another request
        earlier = RiskProfileImport.objects.filter(municipality=municipality, sha256=sha,
                                                   status=RiskProfileImport.SUCCEEDED).first()
        return ImportResult(None, earlier=earlier)
    return ImportResult(record)


def _failed(base: dict[str, Any], problems: list[Problem],
            counts: dict[str, int]) -> ImportResult:
    record = RiskProfileImport.objects.create(status=RiskProfileImport.FAILED, counts=counts,
                                              problems=[p.as_row() for p in problems], **base)
    return ImportResult(record, problems=problems)


def profile_imports_of(viewer: Viewer) -> QuerySet[RiskProfileImport]:
    """The imports the viewer sees: their own; a municipality's for its coordinator."""
    if viewer.superuser:
        return RiskProfileImport.objects.all()
    return RiskProfileImport.objects.filter(Q(imported_by_id=viewer.user.pk)
                                            | Q(municipality_id__in=viewer.coordinated_ids()))
