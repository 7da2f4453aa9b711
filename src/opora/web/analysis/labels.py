"""Russian names of what the analysis pages show: procedures, subjects, objectivity signs.

Procedures and subjects come from :mod:`opora.catalog`; the objectivity signs, their names,
headings, value columns and units from :mod:`opora.glossary`.
"""

from __future__ import annotations

from opora.catalog import PROCEDURES, SUBJECTS
from opora.glossary import SIGNS

#: sign code → (Russian name, value column of objectivity.parquet, unit shown after the value):
#: the glossary's signs in the shape the run loader reads.
OBJECTIVITY_SIGNS: dict[str, tuple[str, str, str]] = {
    s.code: (s.name_ru, s.value_column, s.unit) for s in SIGNS
}


def procedure_name(code: str) -> str:
    found = PROCEDURES.get(code)
    return found.name_ru if found else code


def subject_name(code: str) -> str:
    found = SUBJECTS.get(code)
    return found.name_ru if found else code
