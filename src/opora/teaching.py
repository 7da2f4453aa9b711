"""What staff records are written in: the subjects a teacher may teach, and the glossary's
staff terms (positions, categories, instruments, domains, levels) read from the words people
write in a file.

Subjects are the assessment catalogue's own (without the refinements an exam adds: «профильный
уровень», «устная часть») and the glossary's subjects that no assessment has (начальные классы,
физическая культура, музыка…). Stands on the contract (catalogue and glossary) only, so the
template reader (:mod:`opora.formats.templates.staff`) and the web app share it."""

from __future__ import annotations

from opora.catalog import SUBJECTS, normalize_label
from opora.glossary import TEACHING_SUBJECTS, StaffTerm

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


def term_from_text(terms: tuple[StaffTerm, ...], text: object) -> str | None:
    """The code of a glossary term by any of its names or synonyms, or by its code
    («высшая» → ``highest``, «зам. по УВР» → ``deputy_academic``)."""
    key = normalize_label(text)
    for term in terms:
        if key == normalize_label(term.code) or key in {normalize_label(n) for n in term.names}:
            return term.code
    return None
