"""Which registry school does each ``school_key`` of an incoming file mean?

Order of evidence, strongest first (each step only for keys the previous ones left):

1. ``School.key`` equals the key (a data set made by Опора itself, the generator);
2. ``School.fis_oko_login`` equals the key (ВПР forms are named by the ФИС ОКО login);
3. a confirmed :class:`~opora.web.schools.models.SchoolAlias` for the name as the file spells
   it, in that municipality (or with no municipality);
4. the same name after folding legal forms, quotes and case (:mod:`opora.formats.school_matching`,
   exact matches only; a merely similar name is shown as a suggestion, never taken).

Nothing is guessed beyond that: a key left over is reported, and a school is created only when
the coordinator says so (``create_missing_schools``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from opora.catalog import normalize_label
from opora.formats import school_matching as name_matching
from opora.formats.base import Problem
from opora.schemas import TABLES
from opora.web.imports.errors import ImportErrorCode
from opora.web.schools.models import Municipality, School, SchoolAlias


@dataclass
class IncomingSchool:
    key: str
    name: str = ""
    municipality: str = ""
    source: str = ""
    suggestion: str = ""

    def describe(self) -> str:
        text = f"«{self.name}»" if self.name else f"с ключом «{self.key}»"
        if self.municipality:
            text += f" ({self.municipality})"
        return text


_NAME_COLUMNS = {"schools": ("short_name", "municipality"),
                 "aggregates": ("school_name", "municipality"),
                 "markers": ("school_name", "municipality"),
                 "official_lists": ("school_name", "municipality"),
                 "rechecks": ("school_name", None)}
SCHOOL_TABLES = ("schools", "aggregates", "markers", "official_lists", "rechecks", "results",
                 "context")
"""Tables whose rows name a school (``school_key``)."""


def incoming_schools(tables: dict[str, pa.Table]) -> dict[str, IncomingSchool]:
    """Every school key the tables name, with the best name and municipality they give.

    Grouped in Arrow (one row per key and table), not row by row: results have ~100 000 rows.
    """
    found: dict[str, IncomingSchool] = {}
    for name in SCHOOL_TABLES:
        table = tables.get(name)
        if table is None or "school_key" not in table.column_names or not table.num_rows:
            continue
        name_col, muni_col = _NAME_COLUMNS.get(name, (None, None))
        wanted = [c for c in (name_col, muni_col, "source") if c and c in table.column_names]
        grouped = table.group_by("school_key").aggregate([(c, "min") for c in wanted])
        for row in grouped.to_pylist():
            school = found.setdefault(row["school_key"], IncomingSchool(row["school_key"]))
            school.name = school.name or (row.get(f"{name_col}_min") or "")
            school.municipality = school.municipality or (row.get(f"{muni_col}_min") or "")
            school.source = school.source or (row.get("source_min") or "")
    return found


def match_schools(incoming: dict[str, IncomingSchool], *,
                  municipality: Municipality | None = None
                  ) -> tuple[dict[str, int], list[IncomingSchool]]:
    """Map incoming keys to registry school ids; return the map and the schools left unmatched."""
    keys = list(incoming)
    matched = dict(School.objects.filter(key__in=keys).values_list("key", "pk"))
    logins = {k.lower(): k for k in keys if k not in matched}
    for login, pk in School.objects.filter(fis_oko_login__in=list(logins)).values_list(
            "fis_oko_login", "pk"):
        assert login is not None  # fis_oko_login__in matches no NULL
        matched[logins[login]] = pk
    left = [s for s in incoming.values() if s.key not in matched and s.name]
    for school in left:
        alias_pk = _by_alias(school)
        if alias_pk is not None:
            matched[school.key] = alias_pk
    matched.update(_by_name([s for s in left if s.key not in matched], municipality))
    missing = [s for s in incoming.values() if s.key not in matched]
    return matched, missing


def _by_alias(school: IncomingSchool) -> int | None:
    aliases = SchoolAlias.objects.filter(normalized=normalize_label(school.name))
    for muni in (normalize_label(school.municipality), ""):
        alias = aliases.filter(municipality_normalized=muni).first()
        if alias is not None:
            return alias.school_id
    return None


def _by_name(left: list[IncomingSchool], municipality: Municipality | None) -> dict[str, int]:
    """Exact matches of :func:`opora.formats.school_matching.match_schools` (legal forms, quotes,
    case folded; number, settlement and municipality kept). A fuzzy or ambiguous candidate is
    not taken: it is attached to the school as a suggestion for the user to confirm."""
    if not left:
        return {}
    schools = School.objects.select_related("municipality")
    if municipality is not None:
        schools = schools.filter(municipality=municipality)
    registry, pks = [], {}
    for school in schools:
        pks[school.key] = school.pk
        for name in {school.short_name, school.full_name} - {""}:
            registry.append((school.key, name, school.municipality.name))
    incoming = [(s.name, s.municipality or (municipality.name if municipality else ""))
                for s in left]
    report = name_matching.match_schools(incoming, registry)
    found = {}
    for s, match in zip(left, report.matches, strict=True):
        if match.status == "exact" and match.school_key is not None:
            found[s.key] = pks[match.school_key]
        elif match.status in ("fuzzy", "ambiguous"):
            s.suggestion = match.describe()
    return found


def same_school_conflicts(tables: dict[str, pa.Table], school_ids: dict[str, int],
                          incoming: dict[str, IncomingSchool]) -> list[Problem]:
    """Rows that name one registry school in two ways within the same cell.

    A file may spell a school twice («СОШ № 2» and a confirmed alias of it); each spelling is
    matched, and then the two rows would claim the same cell. That is reported, not resolved.
    """
    problems = []
    for name in ("results", "aggregates", "context", "markers", "official_lists", "rechecks"):
        table = tables.get(name)
        if table is None or not table.num_rows:
            continue
        keys = pc.unique(table.column("school_key"))
        ids = pa.array([school_ids[k] for k in keys.to_pylist()], type=pa.int64())
        mapped = table.append_column("school_id", ids.take(pc.index_in(table.column("school_key"),
                                                                       keys)))
        cell = ["school_id", *(k for k in TABLES[name].key if k != "school_key")]
        groups = mapped.group_by(cell).aggregate([("school_key", "min"), ("school_key", "max")])
        clashes = groups.filter(pc.not_equal(groups.column("school_key_min"),
                                             groups.column("school_key_max")))
        for row in clashes.slice(0, 20).to_pylist():
            first, second = (incoming[row[f"school_key_{m}"]] for m in ("min", "max"))
            problems.append(Problem(
                first.source or name, f"школы {first.describe()} и {second.describe()} — одна и "
                f"та же школа реестра, и обе есть в одной работе (таблица «{TABLES[name].title}»); "
                "оставьте в файле одну из строк", ImportErrorCode.SAME_SCHOOL_TWICE))
    return problems
