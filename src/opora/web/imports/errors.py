"""The import services' errors: the exception an import raises internally, and the problem codes.

:class:`ImportRejectedError` carries every problem found to the outcome. :class:`ImportErrorCode`
holds the codes the web adds to a reader's own (:class:`opora.formats.errors.ReadErrorCode`)
when a file is loaded into the database: the database's gate (:mod:`validation`), the matching of
schools, the uploader's rights. They are stored with every import (``ImportBatch.problems``), so
a value never changes once released. No Django here: ``opora docs-formats`` lists them in
``docs/formats.md`` without setting Django up.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from opora.formats.base import Problem
from opora.formats.errors import render_markdown


class ImportRejectedError(Exception):
    """Carries the problems (and details such as the missing schools) to the outcome."""

    def __init__(self, problems: list[Problem], **details: Any) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems, self.details = problems, details


class ImportErrorCode(StrEnum):
    """Why an import refused a file or rows (values are stable; see the module docstring)."""

    message: str

    def __new__(cls, value: str, message: str) -> ImportErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.message = message
        return member

    # The file and the uploader's rights
    FILE_NOT_FOUND = "file_not_found", "файл не найден"
    UNREADABLE_FILE = "unreadable_file", "файл не читается: не тот формат, повреждён или пуст"
    FORMAT_NOT_ALLOWED = "format_not_allowed", "этот вид файла вам загружать нельзя"
    SCHOOL_OUT_OF_SCOPE = "school_out_of_scope", ("данные чужой школы: не вашей или другого "
                                                  "муниципалитета")
    NOT_LOADED = "not_loaded", "таблица набора данных в базу не загружается (только для проверок)"
    # Schools of the file against the registry
    SCHOOL_NOT_FOUND = "school_not_found", "школа не найдена в реестре"
    TERRITORY_NOT_FOUND = "territory_not_found", ("региона или муниципалитета нет в реестре; их "
                                                  "создаёт администратор с подтверждением")
    SAME_SCHOOL_TWICE = "same_school_twice", ("две строки файла — одна и та же школа реестра в "
                                              "одной работе")
    MUNICIPALITY_MISSING = "municipality_missing", "не указан муниципалитет школы"
    # The database's gate on the normalised tables
    UNKNOWN_TABLE = "unknown_table", "неизвестная таблица"
    MISSING_COLUMNS = "missing_columns", "в таблице нет обязательных столбцов"
    REQUIRED_EMPTY = "required_empty", "пустое обязательное значение"
    UNKNOWN_CODE = "unknown_code", "неизвестный код процедуры, предмета или уровня"
    OUT_OF_RANGE = "out_of_range", "значение вне допустимого диапазона"
    PART_EXCEEDS_WHOLE = "part_exceeds_whole", "часть больше целого"
    TOO_LONG = "too_long", "текст длиннее, чем вмещает поле базы"
    DUPLICATE_KEY = "duplicate_key", "строка с тем же ключом повторяется"
    DATABASE_REFUSED = "database_refused", "база данных не приняла строки (нарушено её правило)"


def import_errors_markdown() -> str:
    return render_markdown(
        "Коды проблем загрузки в базу (журнал загрузок)", ImportErrorCode,
        "Загрузка файла через сайт или `opora manage` добавляет к кодам чтения свои: проверки "
        "перед записью в базу, сопоставление школ с реестром, права загружающего. Коды так же "
        "устойчивы.")
