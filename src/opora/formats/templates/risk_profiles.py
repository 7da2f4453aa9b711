"""Reading the questionnaire results table of the 500+ risk profile (``opora template
risk_profile``): one row — one factor of one school in one year.

Columns: the school's ФИС ОКО login (or its code in Опора's registry), the year, the factor by
its code or Russian name (current and retired catalogues, :data:`opora.glossary.RISK_CATALOGUES`),
the level («низкий», «средний», «высокий» or their synonyms), the score 0–100. A cell that
cannot be read rejects its row with the place; two rows of one school, year and factor are both
rejected (which one is right is unknown). Whether the factor belongs to the catalogue of the
row's year, and whether the school is the loader's, is checked by the web
(:mod:`opora.web.programmes.profile_import`). Nothing here imports Django.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from opora.catalog import normalize_label
from opora.formats.base import Problem, UnreadableFile
from opora.formats.errors import ReadErrorCode
from opora.formats.templates.cells import PARSERS
from opora.formats.templates.reader import find_header
from opora.formats.templates.rows import Row, choice, names_of, read_rows
from opora.formats.templates.spec import Template, TemplateColumn
from opora.formats.workbook import load_sheets
from opora.glossary import RETIRED_RISK_FACTORS, RISK_FACTORS, RISK_LEVELS
from opora.schemas import Column, Table

FACTORS = names_of((*RISK_FACTORS, *RETIRED_RISK_FACTORS))
LEVELS = names_of(RISK_LEVELS)


def _col(field_name: str, title: str, kind: str, explanation: str, allowed: str,
         required: bool = False) -> TemplateColumn:
    return TemplateColumn(field_name, title, kind, required, explanation, allowed)


#: The table as read (not an engine input: its rows become the web's risk profiles).
RISK_PROFILE_ROWS = Table("risk_profiles", "Рисковые профили школ", ("school", "year", "factor"),
                          tuple(Column(name, pa.string(), "—", name) for name in (
                              "school", "school_name", "year", "factor", "level", "score")))
RISK_PROFILE_TEMPLATE = Template(
    "risk_profile", "Рисковый профиль школ (результаты анкетирования)", RISK_PROFILE_ROWS,
    (
        _col("school", "Логин ФИС ОКО", "text",
             "Логин школы в ФИС ОКО (например, edu053001) или её код в реестре Опоры",
             "текст", required=True),
        _col("school_name", "Наименование школы", "text", "Для людей: не проверяется",
             "текст"),
        _col("year", "Год", "year", "Год анкетирования (профиля)", "2015–2100", required=True),
        _col("factor", "Фактор риска", "text",
             "Фактор риска проекта «500+»: код или название, как в каталоге года",
             "; ".join(t.name_ru for t in RISK_FACTORS), required=True),
        _col("level", "Уровень риска", "text", "Уровень фактора по итогам анкетирования",
             "низкий, средний, высокий", required=True),
        _col("score", "Балл (0–100)", "number",
             "Значение фактора по итогам анкетирования, от 0 до 100; пусто — нет балла",
             "число 0–100"),
    ),
    ("factor", "level"),
)
#: The programme app's templates, merged into ``files.ALL_TEMPLATES``.
PROFILE_TEMPLATES: dict[str, Template] = {RISK_PROFILE_TEMPLATE.name: RISK_PROFILE_TEMPLATE}


def _year(value: object) -> tuple[object, str | None]:
    number, reason = PARSERS["year"](value)
    if reason is None and not (2015 <= int(number) <= 2100):  # type: ignore[call-overload]
        return None, f"{number} — год профиля от 2015 до 2100"
    return number, reason


def _score(value: object) -> tuple[object, str | None]:
    number, reason = PARSERS["number"](value)
    if reason is None and float(number) > 100:  # type: ignore[arg-type]
        return None, f"{str(number).replace('.', ',')} — балл больше 100; допустимо от 0 до 100"
    return number, reason


_PARSERS = {"year": _year, "score": _score,
            "factor": choice(FACTORS, "фактор риска", "коды и названия — docs/glossary.md"),
            "level": choice(LEVELS, "уровень риска", "низкий, средний, высокий")}


@dataclass
class ProfileLog:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0


def _key(row: Row) -> tuple[str, int, str]:
    v = row.values
    return normalize_label(v["school"]), int(v["year"]), v["factor"]


def read_risk_profiles(path: Path) -> ProfileLog:
    """Every sheet carrying the template's header; UnreadableFile when none does."""
    sheets = load_sheets(path)
    log = ProfileLog()
    found = False
    for sheet in sheets:
        before = len(log.problems)
        rows = read_rows(path, sheet, RISK_PROFILE_TEMPLATE, _PARSERS, log.problems)
        if rows is None:
            continue
        found = True
        log.rows.extend(rows)
        log.rejected_rows += len({p.row for p in log.problems[before:]})
    if not found and not any(find_header(s, RISK_PROFILE_TEMPLATE) for s in sheets):
        raise UnreadableFile(f"файл {path.name}: не найдена строка заголовков рискового профиля "
                             "(скачайте шаблон: opora template risk_profile)")
    by_key: dict[tuple[str, int, str], list[Row]] = defaultdict(list)
    for row in log.rows:
        by_key[_key(row)].append(row)
    repeated = {key for key, rows in by_key.items() if len(rows) > 1}
    for key in repeated:
        lines = ", ".join(str(r.row) for r in by_key[key])
        for row in by_key[key]:
            log.problems.append(row.problem(
                path.name, "factor", f"повтор: строки {lines} — один и тот же фактор одной "
                "школы за один год; какая верна, неизвестно — оставьте одну",
                ReadErrorCode.DUPLICATE_KEY))
            log.rejected_rows += 1
    log.rows = [r for r in log.rows if _key(r) not in repeated]
    return log
