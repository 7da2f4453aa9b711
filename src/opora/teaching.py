"""The subjects a teacher may teach: the assessment catalogue's own subjects (without the
refinements an exam adds: «профильный уровень», «устная часть») and the glossary's subjects
that no assessment has (начальные классы, физическая культура, музыка…)."""

from __future__ import annotations

from opora.catalog import SUBJECTS, normalize_label
from opora.glossary import TEACHING_SUBJECTS

#: Code → Russian name, in display order: the catalogue's first, then the glossary's.
TEACHING_SUBJECT_NAMES: dict[str, str] = {
    **{s.code: s.name_ru for s in SUBJECTS.values() if not s.base},
    **{t.code: t.name_ru for t in TEACHING_SUBJECTS},
}


def subject_name(code: str) -> str:
    """The Russian name of a subject taught; an unknown code as it is."""
    return TEACHING_SUBJECT_NAMES.get(code, code)


def _spellings() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, subject in SUBJECTS.items():
        if subject.base:
            continue
        for name in (subject.name_ru, *subject.aliases):
            found.setdefault(normalize_label(name), code)
    for term in TEACHING_SUBJECTS:
        for name in term.names:
            found.setdefault(normalize_label(name), term.code)
    return found


_SPELLINGS = _spellings()


def subject_from_text(text: str) -> str | None:
    """The code of a subject as people write it («Математика», «физкультура», «ИЗО»)."""
    return _SPELLINGS.get(normalize_label(text))
