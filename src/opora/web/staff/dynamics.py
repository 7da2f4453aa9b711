"""Competence dynamics: a teacher's change between two diagnostics, and a school's share of
teachers whose competence grew (DOMAIN.md, «Indicators the seeds name»: «доля педагогов ШНОР с
положительной динамикой компетенций»; the rule in words: docs/methodology.md, section
«Динамика профессиональных компетенций педагогов»).

The rule, in short:

- a diagnostic's **result** is the share of the maximum over its domains,
  ``Σ points / Σ maximum × 100``; a domain given a level (not a score) counts as 0…3 points of 3
  (недостаточный 0, базовый 1, повышенный 2, высокий 3);
- a teacher's **dynamics** compares the last two diagnostics of one instrument (a self-assessment
  is never compared with the regional diagnostic), over the domains both of them assessed; when
  the teacher has pairs of several instruments, the most independent one is used
  (:data:`INSTRUMENT_PRIORITY`);
- the change is **positive** when the result rose by at least :data:`THRESHOLD_PP` percentage
  points, **negative** when it fell by as much, and **no change** otherwise. 5 p. p. is about one
  or two tasks of a regional diagnostic of 20–30 tasks (one task ≈ 3–5 % of the maximum): a
  smaller change is within what another variant or a lucky guess gives;
- a **school's share** is the teachers on its staff today with positive dynamics over the
  teachers on its staff today who have a comparable pair (both numbers are shown).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from opora.glossary import (
    COMPETENCE_DYNAMICS,
    DIAGNOSTIC_INSTRUMENTS,
    DIAGNOSTIC_LEVELS,
    staff_name,
)
from opora.numbers import number
from opora.web.staff.models import DiagnosticScore, Teacher, TeacherDiagnostic

#: Percentage points of the maximum a result must change by to count as a change.
THRESHOLD_PP = 5.0
#: Which instrument's pair a teacher's dynamics uses when there are several: the most independent
#: first (the regional diagnostic, then the administration's and colleagues' assessment, then the
#: teacher's own).
INSTRUMENT_PRIORITY: tuple[str, ...] = ("regional", "administration", "peer", "self")
#: A level's points out of :data:`LEVEL_MAX` (its place in the glossary's order, lowest first).
LEVEL_POINTS: dict[str, int] = {term.code: rank for rank, term in enumerate(DIAGNOSTIC_LEVELS)}
LEVEL_MAX = len(DIAGNOSTIC_LEVELS) - 1

POSITIVE, NO_CHANGE, NEGATIVE = "positive_competence", "stable_competence", "negative_competence"


def domain_points(score: DiagnosticScore) -> tuple[float, float]:
    """(points, maximum) of one domain: its score of its maximum, or its level of 3."""
    if score.level:
        return float(LEVEL_POINTS[score.level]), float(LEVEL_MAX)
    return float(score.score or 0), float(score.max_score or 0)


def result_pct(scores: Iterable[DiagnosticScore], domains: set[str] | None = None) -> float | None:
    """The share of the maximum, %, over ``domains`` (all the diagnostic's when None)."""
    points = maximum = 0.0
    for score in scores:
        if domains is None or score.domain in domains:
            got, out_of = domain_points(score)
            points, maximum = points + got, maximum + out_of
    return 100.0 * points / maximum if maximum > 0 else None


@dataclass(frozen=True)
class Dynamics:
    """A teacher's change between two diagnostics of one instrument."""

    instrument: str
    earlier: TeacherDiagnostic
    later: TeacherDiagnostic
    domains: frozenset[str]
    before_pct: float
    after_pct: float

    @property
    def change_pp(self) -> float:
        return self.after_pct - self.before_pct

    @property
    def verdict(self) -> str:
        if self.change_pp >= THRESHOLD_PP:
            return POSITIVE
        if self.change_pp <= -THRESHOLD_PP:
            return NEGATIVE
        return NO_CHANGE

    @property
    def verdict_name(self) -> str:
        return staff_name(COMPETENCE_DYNAMICS, self.verdict)

    @property
    def instrument_name(self) -> str:
        return staff_name(DIAGNOSTIC_INSTRUMENTS, self.instrument)

    @property
    def change_text(self) -> str:
        """«+15,8 п. п.»"""
        return f"{number(self.change_pp, 1, signed=True)} п. п."


def teacher_dynamics(diagnostics: Iterable[TeacherDiagnostic]) -> Dynamics | None:
    """The dynamics of one teacher from their diagnostics (with ``scores`` prefetched); None
    when no instrument was used twice over a common domain."""
    by_instrument: dict[str, list[TeacherDiagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        by_instrument[diagnostic.instrument].append(diagnostic)
    for instrument in INSTRUMENT_PRIORITY:
        found = sorted(by_instrument.get(instrument, []), key=lambda d: (d.date, d.pk))
        if len(found) < 2:
            continue
        earlier, later = found[-2], found[-1]
        before, after = list(earlier.scores.all()), list(later.scores.all())
        common = {s.domain for s in before} & {s.domain for s in after}
        before_pct, after_pct = result_pct(before, common), result_pct(after, common)
        if before_pct is None or after_pct is None:
            continue
        return Dynamics(instrument, earlier, later, frozenset(common), before_pct, after_pct)
    return None


@dataclass(frozen=True)
class SchoolDynamics:
    """A school's two indicators over its staff on a day: diagnosed, and positive dynamics."""

    staff: int  # teachers on the staff
    diagnosed: int  # of them, with at least one diagnostic
    compared: int  # of them, with a comparable pair (the denominator of the share)
    positive: int
    negative: int

    @property
    def diagnosed_pct(self) -> float | None:
        return 100.0 * self.diagnosed / self.staff if self.staff else None

    @property
    def positive_pct(self) -> float | None:
        return 100.0 * self.positive / self.compared if self.compared else None


def school_dynamics(teachers: Iterable[Teacher],
                    dynamics: dict[int, Dynamics | None]) -> SchoolDynamics:
    """Count a staff list; ``dynamics`` maps a teacher's pk to :func:`teacher_dynamics`, and
    a teacher absent from it has no diagnostic."""
    staff = diagnosed = compared = positive = negative = 0
    for teacher in teachers:
        staff += 1
        pk = teacher.pk
        if pk not in dynamics:
            continue
        diagnosed += 1
        found = dynamics[pk]
        if found is None:
            continue
        compared += 1
        positive += found.verdict == POSITIVE
        negative += found.verdict == NEGATIVE
    return SchoolDynamics(staff, diagnosed, compared, positive, negative)


def dynamics_by_teacher(teacher_ids: Iterable[int], *,
                        until: datetime.date | None = None) -> dict[int, Dynamics | None]:
    """Each listed teacher with a diagnostic (dated up to ``until``) → their dynamics; two
    queries whatever the number of teachers."""
    found = TeacherDiagnostic.objects.filter(teacher_id__in=list(teacher_ids))
    if until is not None:
        found = found.filter(date__lte=until)
    grouped: dict[int, list[TeacherDiagnostic]] = defaultdict(list)
    for diagnostic in found.prefetch_related("scores").order_by("date", "pk"):
        grouped[diagnostic.teacher_id].append(diagnostic)
    return {pk: teacher_dynamics(diagnostics) for pk, diagnostics in grouped.items()}
