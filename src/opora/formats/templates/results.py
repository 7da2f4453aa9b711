"""Reader of Опора's results templates (``FORMAT = "results"``): per participant or per school.

Which of the two a file is — ``results`` (one row per participant) or ``aggregates`` (one row per
school × procedure × subject) — is recognised by its headers («Код участника» / «Участников,
чел.»); columns and checks are in :mod:`template_spec`, :mod:`template_rules` and
``docs/templates.md``.
"""

from __future__ import annotations

from pathlib import Path

from opora.formats.base import ReadResult
from opora.formats.hints import ReadHints
from opora.formats.templates.reader import read_template
from opora.formats.templates.reader import recognises as _recognises
from opora.formats.templates.spec import AGGREGATES_TEMPLATE, RESULTS_TEMPLATE
from opora.formats.workbook import Sheet

FORMAT = "results"
TEMPLATES = (RESULTS_TEMPLATE, AGGREGATES_TEMPLATE)


def recognises(sheets: list[Sheet]) -> bool:
    return _recognises(sheets, TEMPLATES)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    """Hints are not used: a template row names its school, procedure, year, grade, subject."""
    return read_template(path, sheets, TEMPLATES)
