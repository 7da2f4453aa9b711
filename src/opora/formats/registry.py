"""The one list of readers: each file format's name, its Russian title and the module reading it.

A reader module exposes ``FORMAT``, ``recognises(sheets)`` and ``read(path, sheets, hints)``.
Adding a reader is one line here (docs/architecture.md, «Where do I put a new reader»); the
command line's ``--format``, :func:`opora.formats.read_file`, the isolated child's preloading and
the import page's messages all read this list.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class ReaderInfo:
    format: str   # the name on the command line and in ImportBatch.format
    title: str    # Russian, for messages and pages: «бланк ВПР»
    module: str   # the module that reads it

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


#: In the order ``format="auto"`` tries them (the first that recognises the file reads it).
READERS: tuple[ReaderInfo, ...] = (
    ReaderInfo("ege-by-school", "таблица результатов ЕГЭ/ОГЭ по школам", "opora.formats.ege.reader"),
    ReaderInfo("vpr-form", "бланк ВПР", "opora.formats.vpr.reader"),
    ReaderInfo("objectivity-list", "федеральный список школ с признаками необъективности",
               "opora.formats.lists.objectivity"),
    ReaderInfo("results", "шаблон результатов", "opora.formats.templates.results"),
    ReaderInfo("context", "шаблон контекстного паспорта", "opora.formats.templates.context"),
    ReaderInfo("markers", "шаблон маркеров необъективности", "opora.formats.templates.markers"),
    ReaderInfo("rechecks", "шаблон результатов перепроверки", "opora.formats.templates.rechecks"),
    # after the templates: a template's «Школа (код)», «Муниципалитет», «Год» look like a list
    ReaderInfo("official-list", "официальный список школ (ШНОР, ШНСУ, «500+»)",
               "opora.formats.lists.official"),
)
#: Formats a user may name: ``auto`` and every reader's.
FORMATS: tuple[str, ...] = ("auto", *(reader.format for reader in READERS))
#: Files already in the normalised layout (Parquet, CSV with the columns as header).
NORMALISED_TITLE = "нормализованная таблица"


def reader_title(format: str) -> str:
    """The Russian title of a format («бланк ВПР»); the code itself if unknown."""
    if format == "normalised":
        return NORMALISED_TITLE
    return next((r.title for r in READERS if r.format == format), format)


def reader_modules() -> dict[str, ModuleType]:
    """Format → reader module, in :data:`READERS` order."""
    return {reader.format: reader.load() for reader in READERS}
