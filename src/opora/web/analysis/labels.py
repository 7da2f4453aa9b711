"""Russian names of what the analysis pages show: procedures, subjects, objectivity signs, the
engine, the stages and outputs of a run, a finished run's summary.

Procedures and subjects come from :mod:`opora.catalog`; everything else from
:mod:`opora.glossary` — a code is never shown as it is when the glossary names it (issue 13).
"""

from __future__ import annotations

from typing import Any

from opora.catalog import PROCEDURES, SUBJECTS
from opora.glossary import (
    ENGINES,
    RUN_OUTPUTS,
    RUN_STAGES,
    SIGNS,
    WorkTerm,
    flag_label,
    flag_rank,
    work_name,
)
from opora.web.analysis.models import DONE, AnalysisRun

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


def subject_list(codes: str) -> str:
    """«math, rus» (as a pair stores its weak subjects) → «математика, русский язык»."""
    return ", ".join(subject_name(code.strip()).lower() for code in codes.split(",")
                     if code.strip())


def engine_name(code: str) -> str:
    return work_name(ENGINES, code)


def stage_name(code: str) -> str:
    return work_name(RUN_STAGES, code)


def output_name(code: str) -> str:
    return work_name(RUN_OUTPUTS, code)


def in_order(terms: tuple[WorkTerm, ...], stored: dict[str, Any]) -> list[tuple[str, Any]]:
    """A stored mapping (a run's stage times, its counts) in the glossary's order: PostgreSQL's
    jsonb keeps keys by length, not as written, so the stored order means nothing; codes the
    glossary does not know come last, as stored."""
    rank = {t.code: i for i, t in enumerate(terms)}
    return sorted(stored.items(), key=lambda item: rank.get(item[0], len(rank)))


def flags_in_order(stored: dict[str, Any]) -> list[tuple[str, Any]]:
    """Flag counts in the glossary's flag order (whatever order the database kept)."""
    return sorted(stored.items(), key=lambda item: flag_rank(item[0]))


def done_message(years: list[int], flag_counts: dict[str, int], *,
                 schools: bool = False) -> str:
    """What a finished run says: its years and how many of each flag it gave, in words. With
    ``schools`` the counts are schools with the flag in the last year (``school_counts`` of
    ``run.json``, issue 12: what the overview counts); without, flags of every year (runs stored
    before: a school may have a flag for two years or by two rules)."""
    counted = "; ".join(f"{flag_label(code)} — {n}" for code, n in flags_in_order(flag_counts)
                        if n)
    head = (f"Школ по отметкам в {years[-1]} году" if schools and years
            else "Отметок по видам")
    return (f"Готово. Проанализированы годы: {', '.join(map(str, years)) or '—'}. "
            f"{head}: {counted or 'нет'}.")


def run_message(run: AnalysisRun) -> str:
    """The run's message for its page: a finished run's summary is rebuilt from its stored
    counts (runs stored before issue 13 said «low_results: 29»), any other as stored."""
    if run.status != DONE:
        return run.message
    years = list(run.run_json.get("years_analysed") or [])
    schools = run.run_json.get("school_counts")
    if isinstance(schools, dict):
        return done_message(years, schools, schools=True)
    counts = run.run_json.get("flag_counts")
    if isinstance(counts, dict):
        return done_message(years, counts)
    return run.message
