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

from opora.engine.config import ConfigError, Rules, load_rules, load_rules_text
from opora.engine.run import Evaluation, Findings, RunSummary, analyze, analyze_tables, evaluate

__all__ = ["ConfigError", "Evaluation", "Findings", "Rules", "RunSummary", "analyze",
           "analyze_tables", "evaluate", "load_rules", "load_rules_text"]
