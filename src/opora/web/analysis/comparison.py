"""A run against the previous finished run of the same scope: who entered, left, stayed.

Per flag (issue 4: «вошли в список», «вышли из списка», «остаются»), a school is on a run's list
when the run gave it that flag in any analysed year. Only schools of the municipalities the
reader may see are compared (a coordinator reading a region-wide run sees their own schools).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from opora.glossary import FLAG_ORDER, flag_label
from opora.web.analysis.models import AnalysisRun, RunFlag
from opora.web.core.ordering import natural_key
from opora.web.schools.models import Municipality


def run_comparison(*, run: AnalysisRun, previous: AnalysisRun,
                   municipalities: list[Municipality]) -> list[dict[str, Any]]:
    """``[{flag, label, entered, left, still}]`` — lists of ``(school_id, name)`` by name.

    Flags neither run gave are left out; one query.
    """
    lists: dict[tuple[int, str], set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    rows = (RunFlag.objects.filter(run__in=[run.pk, previous.pk],
                                   school__municipality__in=[m.pk for m in municipalities])
            .values_list("run_id", "flag", "school_id", "school__short_name").distinct())
    for run_id, code, school_id, name in rows:
        lists[(run_id, code)].add(school_id)
        names[school_id] = name
    codes = [c for c in FLAG_ORDER if (run.pk, c) in lists or (previous.pk, c) in lists]
    codes += sorted({c for _, c in lists} - set(FLAG_ORDER))

    def named(ids: set[int]) -> list[tuple[int, str]]:
        return sorted(((i, names[i]) for i in ids), key=lambda x: (natural_key(x[1]), x[0]))

    table = []
    for code in codes:
        now, before = lists[(run.pk, code)], lists[(previous.pk, code)]
        table.append({"flag": code, "label": flag_label(code), "entered": named(now - before),
                      "left": named(before - now), "still": named(now & before)})
    return table
