"""CSV cells that Excel will not run: a text starting with ``= + - @``, a tab or a CR is a formula.

A school name, a sheet title or a file name comes from an imported file, and whoever made the
file chose it. Written raw into ``problems.csv``, ``flags.csv`` or ``pairs.csv`` and opened in
Excel, ``=HYPERLINK(…)`` or ``@SUM(…)`` is evaluated (CSV injection, OWASP «CSV Injection»).
The XLSX exports write every text with ``write_string`` and so never have the problem
(:mod:`opora.web.core.exports`); CSV has no types, so the cell is prefixed with an apostrophe,
which Excel and LibreOffice show and never evaluate — the OWASP recommendation.

Two exceptions keep the files useful and readable back exactly:

* a plain number (``-3.4``, ``+7``, ``1e-3``) is left alone — Excel reads it as a number, not a
  formula, and the engine writes negative distances and differences;
* a text already starting with an apostrophe gets a second one, so :func:`restore` (strip one
  leading apostrophe) gives back exactly what was written, whatever it was.

This module is on the ground floor: it imports nothing of Опора (formats, engine and web use it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

#: What makes Excel (and LibreOffice) treat a cell as a formula or a command (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
K = TypeVar("K")


def neutralise(value: object) -> object:
    """The value to write into a CSV cell: a dangerous text with an apostrophe in front."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith("'"):
        return "'" + value
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text :func:`neutralise` was given, from the cell it wrote (one apostrophe off)."""
    return value[1:] if value.startswith("'") else value


def safe_row(values: Iterable[object]) -> list[object]:
    """A ``csv.writer`` row with every cell neutralised."""
    return [neutralise(v) for v in values]


def safe_dict(row: Mapping[K, object]) -> dict[K, object]:
    """A ``csv.DictWriter`` row with every cell neutralised."""
    return {k: neutralise(v) for k, v in row.items()}
