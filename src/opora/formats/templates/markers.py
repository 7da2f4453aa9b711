"""Reader of the federal objectivity markers list in Опора's template (``FORMAT = "markers"``).

One row per school, year and marker («4 РУ» → grade 4, subject ``rus``, through
:func:`opora.catalog.subject_from_marker`). Columns and checks: :mod:`template_spec`,
``docs/templates.md``.
"""

from __future__ import annotations

from pathlib import Path

from opora.formats.base import ReadResult
from opora.formats.hints import ReadHints
from opora.formats.templates.reader import read_template
from opora.formats.templates.reader import recognises as _recognises
from opora.formats.templates.spec import MARKERS_TEMPLATE
from opora.formats.workbook import Sheet

FORMAT = "markers"
TEMPLATES = (MARKERS_TEMPLATE,)


def recognises(sheets: list[Sheet]) -> bool:
    return _recognises(sheets, TEMPLATES)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    """Hints are not used: every row names its school, year and marker."""
    return read_template(path, sheets, TEMPLATES)
