"""Reader of Опора's context template (``FORMAT = "context"``): the school's social passport.

One row per school and school year; shares in percent 0–100. Columns and checks: :mod:`template_spec`,
:mod:`template_rules`, ``docs/templates.md``.
"""

from __future__ import annotations

from pathlib import Path

from opora.formats.base import ReadResult
from opora.formats.hints import ReadHints
from opora.formats.templates.reader import read_template
from opora.formats.templates.reader import recognises as _recognises
from opora.formats.templates.spec import CONTEXT_TEMPLATE
from opora.formats.workbook import Sheet

FORMAT = "context"
TEMPLATES = (CONTEXT_TEMPLATE,)


def recognises(sheets: list[Sheet]) -> bool:
    return _recognises(sheets, TEMPLATES)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    """Hints are not used: every row names its school and year."""
    return read_template(path, sheets, TEMPLATES)
