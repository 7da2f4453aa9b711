"""Reader of the regional re-check results in Опора's template (``FORMAT = "rechecks"``).

A regional commission re-checks a sample of a school's works (перепроверка); its protocol says per
school, procedure, subject, grade and year how many works were re-checked, how many changed their
mark, and the mean change of the score. The source documents name a re-check discrepancy as a
sign of non-objective results (DOMAIN.md, «Objectivity»): these rows are stored for the engine's
sign (which is to come). Columns and checks: :mod:`template_spec`, ``docs/templates.md``.
"""

from __future__ import annotations

from pathlib import Path

from opora.formats.base import ReadResult
from opora.formats.hints import ReadHints
from opora.formats.templates.reader import read_template
from opora.formats.templates.reader import recognises as _recognises
from opora.formats.templates.spec import RECHECKS_TEMPLATE
from opora.formats.workbook import Sheet

FORMAT = "rechecks"
TEMPLATES = (RECHECKS_TEMPLATE,)


def recognises(sheets: list[Sheet]) -> bool:
    return _recognises(sheets, TEMPLATES)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    """Hints are not used: every row names its school and work."""
    return read_template(path, sheets, TEMPLATES)
