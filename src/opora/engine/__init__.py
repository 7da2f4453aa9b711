"""The engine: normalised tables → flags with evidence, context, objectivity, pairs (no Django).

The Python API::

    from opora.engine import analyze, analyze_tables, load_rules
    # files in, files out (the command line, Spark at national scale):
    summary = analyze(input_dir, out_dir, config_path=None, engine="duckdb", years=(2022, 2024))
    # Arrow tables in, Arrow tables out (the web run): the tables of opora.schemas.OUTPUTS
    evaluation = analyze_tables(tables, rules=load_rules(), years=(2022, 2024))
    evaluation.flags, evaluation.school_stats, evaluation.summary.run_json

:func:`evaluate` runs the same rules on a ``cell_stats`` table already in memory.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from opora.engine.config import ConfigError, Rules, load_rules, load_rules_text

if TYPE_CHECKING:
    from opora.engine.rules_stage import Findings, evaluate
    from opora.engine.run import Evaluation, RunSummary, analyze, analyze_tables

#: Where the names above live: imported when first asked for, so importing a part of the engine
#: (the command line's, the engine's stage) does not import the rules and SciPy (issue 18).
_LAZY = {"Evaluation": "opora.engine.run", "RunSummary": "opora.engine.run",
         "analyze": "opora.engine.run", "analyze_tables": "opora.engine.run",
         "Findings": "opora.engine.rules_stage", "evaluate": "opora.engine.rules_stage"}

__all__ = ["ConfigError", "Evaluation", "Findings", "Rules", "RunSummary", "analyze",
           "analyze_tables", "evaluate", "load_rules", "load_rules_text"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
