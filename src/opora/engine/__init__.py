"""The engine: normalised tables → flags with evidence, context, objectivity, pairs (no Django).

The Python API the web app calls::

    from opora.engine import analyze, load_rules
    summary = analyze(input_dir, out_dir, config_path=None, engine="duckdb", years=(2022, 2024))

:func:`evaluate` runs the same rules on a ``cell_stats`` table already in memory.
"""

from opora.engine.config import ConfigError, Rules, load_rules
from opora.engine.run import Evaluation, RunSummary, analyze, evaluate

__all__ = ["ConfigError", "Evaluation", "Rules", "RunSummary", "analyze", "evaluate", "load_rules"]
