"""Readers of real file formats into the normalised tables of :mod:`opora.schemas`.

Each reader module exposes ``FORMAT`` (its name on the command line), ``recognises(sheets)``
(does this file look like mine?) and ``read(path, sheets, hints) -> ReadResult``.
:func:`read_file` picks the reader (``format="auto"``) and never lets an exception escape for bad
input: a file it cannot read at all raises :class:`UnreadableFile` with a Russian reason.
"""

from __future__ import annotations

from pathlib import Path

from opora.formats import normalised
from opora.formats.base import Problem, ReadResult, UnreadableFile, write_result
from opora.formats.hints import ReadHints
from opora.formats.registry import FORMATS, reader_modules
from opora.formats.workbook import Sheet, load_sheets

__all__ = [
    "FORMATS", "Problem", "ReadHints", "ReadResult", "Sheet", "UnreadableFile",
    "read_file", "write_result",
]


def read_file(path: Path | str, format: str = "auto", hints: ReadHints | None = None) -> ReadResult:
    """Read one file into normalised tables and problems."""
    path = Path(path)
    hints = hints or ReadHints()
    if format in ("auto", "results", "context", "markers") and normalised.is_normalised(path, format):
        return normalised.read(path, format)
    sheets = load_sheets(path)
    readers = reader_modules()
    if format == "auto":
        chosen = next((m for m in readers.values() if m.recognises(sheets)), None)
        if chosen is None:
            how = ("загрузите файл одного из видов, описанных в руководстве пользователя"
                   if hints.on_page else "укажите --format явно")
            raise UnreadableFile(
                f"файл {path.name}: не удалось определить формат — это не бланк ВПР, "
                "не таблица результатов ЕГЭ/ОГЭ по школам, не официальный список и не шаблон "
                f"Опоры (см. docs/templates.md); {how}"
            )
    elif format in readers:
        chosen = readers[format]
        if not chosen.recognises(sheets):
            raise UnreadableFile(
                f"файл {path.name} не похож на формат «{format}»: не найдены ожидаемые заголовки"
            )
    else:
        raise UnreadableFile(f"неизвестный формат «{format}»; допустимы: {', '.join(FORMATS)}")
    result: ReadResult = chosen.read(path, sheets, hints)
    result.format = chosen.FORMAT
    return result
