"""Identification again, with other settings, on what a run kept: the what-if (issue 12).

A run keeps what its rules read (:attr:`opora.engine.run.Evaluation.rule_inputs`: the per-cell
table ``cell_stats`` and the small tables of regional reference values, schools and context
passports). :func:`identification_flags` runs on them the very functions the run used —
regional values, gaps with their intervals, :func:`~opora.engine.identify.identify` and the
context (ШНСУ) of :func:`~opora.engine.context.analyse_context` — so its flags are the flags a
real run with the same settings would give (a test compares them over several settings), without
reading the student rows again. Objectivity, dynamics and pairs are left out: they do not decide
the list's categories, and leaving them out keeps a region's what-if well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from opora.engine.agreement import resolve
from opora.engine.cells import to_cells
from opora.engine.config import Rules
from opora.engine.context import analyse_context
from opora.engine.gaps import compute_gaps
from opora.engine.identify import Flag, identify
from opora.engine.regional import region_by_school, regional_values


def _table(tables: Mapping[str, pa.Table], name: str) -> pa.Table | None:
    table = tables.get(name)
    return table if table is not None and table.num_rows > 0 else None


def identification_flags(inputs: Mapping[str, pa.Table], rules: Rules
                         ) -> tuple[list[Flag], list[int]]:
    """The identification and context flags (ШНОР, stably low, risk zone, ШНСУ, …) and the
    window of years, from a run's kept inputs and ``rules``."""
    cells = to_cells(inputs["cell_stats"])
    regional = regional_values(cells, _table(inputs, "reference"), _table(inputs, "schools"),
                               rules)
    gaps = compute_gaps(cells, regional, rules)
    ident = identify(cells, regional, gaps, rules)
    ctx = analyse_context(_table(inputs, "context"), ident.years, ident.window, rules, set(),
                          region_by_school(_table(inputs, "schools")))
    return resolve(ident.flags + ctx.flags, ctx.leaders).flags, ident.window
