"""Flags that agree with each other: contradictory combinations resolved by one documented order.

Each rule looks at its own evidence, so without an order a school could be «ШНОР 2025» (below the
region in two years of three) and «Лидер 2025» (well above it in the last year) at once — and be
proposed as the leader of a network pair while the municipality supports it (issue 12). The
order, strongest first (docs/methodology.md, «Согласованность отметок»):

1. signs of non-objective results — a school with them is never a leader (already so in
   :mod:`opora.engine.context`: its high results cannot be trusted);
2. ШНОР by either rule (``low_results``, ``failing_share``) and persistently low;
3. the risk zone (never given to a ШНОР school, :mod:`opora.engine.identify`);
4. leaders and resilient schools — a school on the list of a year (2 or 3) is neither a leader nor
   resilient in that year: the list is what the municipality acts on, and a school it supports
   cannot be the one that supports another.

ШНСУ is a fact about the school's context, not a verdict on its results, so it stands beside any
other flag (a resilient leader in adverse conditions is what seed 001 pairs with). The flags of
the list (2, 3 and ШНСУ) are never removed here, so the what-if, which leaves objectivity out,
gives the same list as a real run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.engine.identify import Flag
from opora.glossary import LEADER, LOW_RESULTS_FLAGS, RESILIENT, RISK_ZONE

#: flags that put a school on the list of their year, and the flags they override that year
LISTED = LOW_RESULTS_FLAGS | {RISK_ZONE.code}
OVERRIDDEN = frozenset({LEADER.code, RESILIENT.code})


@dataclass
class Agreement:
    flags: list[Flag]
    leaders: set[str]
    notes: list[str] = field(default_factory=list)
    dropped: list[Flag] = field(default_factory=list)


def resolve(flags: list[Flag], leaders: set[str]) -> Agreement:
    """The flags without the combinations the order forbids, and the leaders left for pairing."""
    listed = {(f.school_key, f.year) for f in flags if f.flag in LISTED}
    kept: list[Flag] = []
    dropped: list[Flag] = []
    for f in flags:
        (dropped if f.flag in OVERRIDDEN and (f.school_key, f.year) in listed else kept).append(f)
    lost = {f.school_key for f in dropped if f.flag == LEADER.code}
    result = Agreement(kept, leaders - lost, dropped=dropped)
    if lost:
        result.notes.append(
            f"{len(lost)} школ с результатами выше региона не признаны лидерами (и "
            "резильентными) в том году, в котором они в списке (ШНОР или зона риска): школа, "
            "которую поддерживают, не может быть ведущей в сетевой паре")
    return result
