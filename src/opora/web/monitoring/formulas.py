"""The formulas of the catalogue (:mod:`opora.web.monitoring.catalogue`) over recorded facts.

Every value is a :class:`Counted`: the facts in its numerator (teachers, schools, results of a
work, roadmap measures — by primary key) and, for a share, the facts of its denominator; the
share is ``100 × numerator / denominator``. Because the numerator is a subset of the denominator
by construction (``facts & base``), no share can exceed 100 % and no part its whole — the seeds'
hand-typed tables broke both. The page «что посчитано» lists exactly these facts.

School level: :func:`school_values` gives every school indicator of one school and year, plus a
few hidden items (codes starting with «_») that the municipal indicators add up over the schools
of the year's official list (:func:`municipal_values`). Formulas in words: docs/methodology.md,
«Показатели мониторинга».

Computed on demand: a page reads the facts of its schools (a fixed number of queries,
:func:`opora.web.monitoring.facts.load`) and computes; a new event is in the very next read, so
there is no cache to invalidate (bench/bench_indicators.py measures a region and one school).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opora.web.monitoring.catalogue import indicator
from opora.web.monitoring.facts import (
    GATHERING_KINDS,
    METHODIST_ORGANISERS,
    VISIT_KINDS,
    Facts,
    overlaps,
)
from opora.web.staff.dynamics import INSTRUMENT_PRIORITY, LEVEL_MAX, LEVEL_POINTS, THRESHOLD_PP

PROCEDURES = ("VPR", "OGE", "EGE", "GVE")


@dataclass(frozen=True)
class Counted:
    """A value with its facts. ``num``/``den`` are set apart from the fact sets only where the
    facts are weighted (participants of a work): the low-results shares."""

    facts: frozenset[int]
    base: frozenset[int] | None = None  # None: a count, not a share
    num: int | None = None
    den: int | None = None
    kind: str = "teacher"

    @property
    def numerator(self) -> int:
        return self.num if self.num is not None else len(self.facts)

    @property
    def denominator(self) -> int | None:
        if self.den is not None:
            return self.den
        return len(self.base) if self.base is not None else None

    @property
    def value(self) -> float | None:
        """The share in percent, or the count; None when the denominator is 0 («нет данных»)."""
        den = self.denominator
        if den is None:
            return float(self.numerator)
        return 100.0 * self.numerator / den if den else None


def share(facts: Iterable[int], base: Iterable[int], kind: str = "teacher") -> Counted:
    whole = frozenset(base)
    return Counted(frozenset(facts) & whole, whole, kind=kind)


def count(facts: Iterable[int], kind: str = "teacher") -> Counted:
    return Counted(frozenset(facts), kind=kind)


@dataclass
class Index:
    """The facts grouped for per-school lookups (built once per computation)."""

    facts: Facts
    present: dict[tuple[int, int], list[tuple[Any, ...]]] = field(
        default_factory=lambda: defaultdict(list))
    events: dict[tuple[int, int], list[tuple[Any, ...]]] = field(
        default_factory=lambda: defaultdict(list))
    stats: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    measures: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    verdicts: dict[tuple[int, int], tuple[bool, bool]] = field(default_factory=dict)
    mentorships: dict[int, list[tuple[Any, ...]]] = field(
        default_factory=lambda: defaultdict(list))
    members: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    pairs: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    # (school, year) → subject → (Σ gap × participants, Σ participants)
    subject_gaps: dict[tuple[int, int], dict[str, list[float]]] = field(default_factory=dict)

    @classmethod
    def of(cls, facts: Facts) -> Index:
        index = cls(facts)
        for p in facts.present:
            index.present[(p[1], p[2])].append(p)
        for e in facts.events:
            index.events[(e[0], e[1])].append(e)
        for r in facts.stats:
            index.stats[r[1]].append(r)
        for m in facts.measures:
            index.measures[m[1]].append(m)
        for mentorship in facts.mentorships:
            for school in {mentorship[1], mentorship[3]}:
                index.mentorships[school].append(mentorship)
        for member in facts.members:
            index.members[member[1]].append(member)
        for pair in facts.pairs:
            index.pairs[pair[0]].append(pair)
            index.pairs[pair[1]].append(pair)
        for _pk, school, _proc, subject, _grade, year, n, gap, _fail in facts.stats:
            if gap is not None and n:
                sums = index.subject_gaps.setdefault((school, year), {}).setdefault(
                    subject, [0.0, 0.0])
                sums[0] += gap * n
                sums[1] += n
        return index

    def gap(self, school: int, year: int, subjects: set[str]) -> float | None:
        """The participant-weighted mean gap of ``school``'s works in ``subjects`` in ``year``."""
        found = self.subject_gaps.get((school, year), {})
        total = sum(found[s][0] for s in subjects if s in found)
        weight = sum(found[s][1] for s in subjects if s in found)
        return total / weight if weight else None

    def verdict(self, teacher: int, year: int) -> tuple[bool, bool]:
        """(compared, positive) of a teacher's competence dynamics up to the end of ``year``."""
        key = (teacher, year)
        if key not in self.verdicts:
            self.verdicts[key] = competence(self.facts.diagnostics.get(teacher, ()),
                                            self.facts.end(year))
        return self.verdicts[key]


def competence(rows: Iterable[tuple[Any, ...]], until: dt.date) -> tuple[bool, bool]:
    """The rule of :mod:`opora.web.staff.dynamics` on plain rows (diagnostic, date, instrument,
    domain, score, max, level): the last two diagnostics of the most independent instrument used
    twice up to ``until``, over their common domains; positive at +5 p. p. or more."""
    by_diagnostic: dict[int, tuple[Any, str, dict[str, tuple[float, float]]]] = {}
    for diagnostic, date, instrument, domain, score, maximum, level in rows:
        if date > until:
            continue
        points = (float(LEVEL_POINTS[level]), float(LEVEL_MAX)) if level else \
            (float(score or 0), float(maximum or 0))
        by_diagnostic.setdefault(diagnostic, (date, instrument, {}))[2][domain] = points
    by_instrument: dict[str, list[tuple[Any, int, dict[str, tuple[float, float]]]]] = \
        defaultdict(list)
    for pk, (date, instrument, domains) in by_diagnostic.items():
        by_instrument[instrument].append((date, pk, domains))
    for instrument in INSTRUMENT_PRIORITY:
        found = sorted(by_instrument.get(instrument, []), key=lambda d: (d[0], d[1]))
        if len(found) < 2:
            continue
        before, after = found[-2][2], found[-1][2]
        common = set(before) & set(after)
        b_max, a_max = sum(before[d][1] for d in common), sum(after[d][1] for d in common)
        if b_max <= 0 or a_max <= 0:
            continue
        change = 100 * sum(after[d][0] for d in common) / a_max - \
            100 * sum(before[d][0] for d in common) / b_max
        return True, change >= THRESHOLD_PP
    return False, False


def school_values(index: Index, school: int, year: int) -> dict[str, Counted]:
    """Every school-level indicator of ``school`` in ``year`` (and the hidden items)."""
    f = index.facts
    staff = f.staff_on(school, year)
    present = index.present.get((school, year), [])
    events = index.events.get((school, year), [])
    stats = index.stats.get(school, [])
    covered = {row[0] for row in present}
    end = f.end(year)
    diagnosed = {t for t in staff if any(r[1] <= end for r in f.diagnostics.get(t, ()))}
    verdicts = {t: index.verdict(t, year) for t in diagnosed}
    network = _network_teachers(index, school, year, present)
    mentees = {m[2] for m in index.mentorships.get(school, ()) if m[3] == school
               and overlaps(m[4], m[5], year)}
    in_pair = [p for p in index.pairs.get(school, ()) if overlaps(p[2], p[3], year)]
    values = {
        "school_teachers_positive_results": _teachers_positive_results(index, school, staff,
                                                                       year),
        "share_teachers_diagnosed": share(diagnosed, staff),
        "share_teachers_competence_growth": share(
            {t for t, v in verdicts.items() if v[1]}, {t for t, v in verdicts.items() if v[0]}),
        "school_teachers_covered_pct": share(covered, staff),
        "school_teachers_covered": count(covered & staff),
        "school_teachers_network": count(network & staff),
        "school_teachers_help_in_school": count({r[0] for r in present if r[3] in VISIT_KINDS}
                                                & staff),
        "school_teachers_help_methodists": count({r[0] for r in present if r[4] == "methodist"}
                                                 & staff),
        "school_teachers_codeveloping": count(mentees & staff),
        "school_network_partnership": Counted(frozenset(p[4] for p in in_pair), kind="pair"),
        "school_measures_done": _measures_done(index.measures.get(school, []), year),
    }
    values.update(_hidden(index, school, year, events, stats, in_pair))
    return values


def _network_teachers(index: Index, school: int, year: int,
                      present: list[tuple[Any, ...]]) -> set[int]:
    found = {r[0] for r in present if r[4] == "leader_school" or r[6] is not None}
    found |= {m[0] for m in index.members.get(school, ()) if overlaps(m[2], m[3], year)}
    for mentor, mentor_school, mentee, mentee_school, start, end in \
            index.mentorships.get(school, ()):
        if mentor_school != mentee_school and overlaps(start, end, year):
            found |= {t for t, s in ((mentor, mentor_school), (mentee, mentee_school))
                      if s == school}
    return found


def _teachers_positive_results(index: Index, school: int, staff: set[int],
                               year: int) -> Counted:
    subjects = set(index.subject_gaps.get((school, year), {})) & \
        set(index.subject_gaps.get((school, year - 1), {}))
    base, facts = set(), set()
    for teacher in staff:
        mine = set(index.facts.subjects.get(teacher) or ()) & subjects
        if not mine:
            continue
        now, before = index.gap(school, year, mine), index.gap(school, year - 1, mine)
        if now is None or before is None:
            continue
        base.add(teacher)
        if now > before:
            facts.add(teacher)
    return share(facts, base)


def _measures_done(rows: list[tuple[Any, ...]], year: int) -> Counted:
    due = {pk for pk, _s, y, status in rows if y == year and status != "cancelled"}
    return share({pk for pk, _s, y, status in rows if y == year and status == "done"}, due,
                 kind="measure")


def _hidden(index: Index, school: int, year: int, events: list[tuple[Any, ...]],
            stats: list[tuple[Any, ...]], in_pair: list[tuple[Any, ...]]) -> dict[str, Counted]:
    """What the municipal indicators add up: whether the school got help of each kind, its
    results' dynamics, its low results per procedure, its joint work in a pair."""
    one = frozenset({school})
    none: frozenset[int] = frozenset()

    def flag(condition: bool) -> Counted:
        return Counted(one if condition else none, kind="school")

    now = index.gap(school, year, set(index.subject_gaps.get((school, year), {})))
    before = index.gap(school, year - 1, set(index.subject_gaps.get((school, year - 1), {})))
    hidden = {
        "_covered": flag(bool(events)),
        "_curator": flag(any(e[3] == "curator" for e in events)),
        "_methodist": flag(any(e[3] in METHODIST_ORGANISERS for e in events)),
        "_gatherings": flag(any(e[2] in GATHERING_KINDS for e in events)),
        "_network": flag(bool(in_pair)),
        "_dynamics": Counted(one if now is not None and before is not None and now > before
                             else none, one if now is not None and before is not None else none,
                             kind="school"),
        "_codeveloping": flag(_codeveloping(index.facts, in_pair, year)),
    }
    by_procedure: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in stats:
        if r[5] == year and r[6] and r[8] is not None:
            by_procedure[r[2]].append(r)
    for procedure in PROCEDURES:
        cells = by_procedure.get(procedure, [])
        failed = sum(round(r[8] * r[6] / 100) for r in cells)
        hidden[f"_low:{procedure}"] = Counted(
            frozenset(r[0] for r in cells if r[8] > 0), frozenset(r[0] for r in cells),
            num=failed, den=sum(r[6] for r in cells), kind="result")
    return hidden


def _codeveloping(f: Facts, in_pair: list[tuple[Any, ...]], year: int) -> bool:
    """In a pair active in ``year`` whose low-results school had an approved roadmap by then."""
    end = f.end(year)
    for low, _leader, _start, _stop, _pk in in_pair:
        approved = f.roadmap_approved.get(low)
        if approved is not None and approved <= end:
            return True
    return False


_MUNICIPAL = {
    "share_low_results_with_positive_dynamics": "_dynamics",
    "low_teachers_diagnosed": "share_teachers_diagnosed",
    "low_teachers_competence_growth": "share_teachers_competence_growth",
    "low_teachers_covered": "school_teachers_covered_pct",
    "low_schools_covered": "_covered",
    "low_schools_in_network": "_network",
    "low_schools_curator_help": "_curator",
    "low_schools_methodist_help": "_methodist",
    "low_schools_gatherings": "_gatherings",
    **{f"low_results_{p.lower()}": f"_low:{p}" for p in PROCEDURES},
}


def combine(parts: list[Counted]) -> Counted:
    """The union of the schools' facts (and of their bases; weighted sums added up)."""
    if not parts:
        return Counted(frozenset())
    facts = frozenset().union(*(p.facts for p in parts))
    kind = parts[0].kind
    if parts[0].num is not None:  # weighted: add the sums
        return Counted(facts, frozenset().union(*(p.base or frozenset() for p in parts)),
                       num=sum(p.numerator for p in parts),
                       den=sum(p.denominator or 0 for p in parts), kind=kind)
    if parts[0].base is not None:
        return Counted(facts, frozenset().union(*(p.base or frozenset() for p in parts)),
                       kind=kind)
    return Counted(facts, kind=kind)


def municipal_values(per_school: dict[int, dict[str, Counted]], listed: Iterable[int],
                     all_schools: Iterable[int]) -> dict[str, Counted]:
    """The municipal indicators of a year from the school values: over the list's schools
    (``listed``), and the joint work over all the municipality's schools."""
    listed = [s for s in listed if s in per_school]
    values = {code: combine([per_school[s][item] for s in listed])
              for code, item in _MUNICIPAL.items()}
    for code, counted in values.items():  # no school on the list: a share has no data, not 0 %
        found = indicator(code)
        if found is not None and found.share and counted.denominator is None:
            values[code] = Counted(frozenset(), frozenset(), num=0 if counted.num is not None
                                   else None, den=0 if counted.num is not None else None)
    values["schools_codeveloping"] = combine(
        [per_school[s]["_codeveloping"] for s in all_schools if s in per_school])
    return values
