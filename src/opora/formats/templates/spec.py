"""The columns of Опора's own fill-in templates: Russian titles with units, kinds, explanations.

One definition serves three purposes, so they cannot drift apart: the reader recognises a file by
these titles (compared after :func:`opora.catalog.normalize_label`), the blank XLSX/CSV templates
are generated from them (:mod:`template_files`), and their «Пояснения» sheet explains each column.
Columns map one-to-one onto the normalised tables of :mod:`opora.schemas`; shares are percent
0–100 as the schemas require (the seed tables show shares typed as fractions and as counts, so the
unit is in every title).
"""

from __future__ import annotations

from dataclasses import dataclass

from opora.catalog import PROCEDURES, SUBJECTS, normalize_label
from opora.glossary import CONTEXT_COLUMNS, ContextColumn
from opora.schemas import AGGREGATES, CONTEXT, MARKERS, RECHECKS, RESULTS, Table

_PROCEDURES = ", ".join(p.name_ru for p in PROCEDURES.values())
_SUBJECTS = "; ".join(f"{s.name_ru} ({s.short_ru})" for s in SUBJECTS.values())


@dataclass(frozen=True)
class TemplateColumn:
    """One column: the normalised field, its Russian title, how its cells are read (``kind``)."""

    field: str
    title: str
    kind: str  # text, year, grade, subject, procedure, count, share, number, mark, sex, yes_no, …
    required: bool
    explanation: str
    allowed: str

    @property
    def key(self) -> str:
        return normalize_label(self.title)


@dataclass(frozen=True)
class Template:
    """A fill-in template: its name (``opora template NAME``), table, columns and how to spot it."""

    name: str
    title: str
    table: Table
    columns: tuple[TemplateColumn, ...]
    distinctive: tuple[str, ...]  # fields whose title tells this template apart from the others

    def column(self, field: str) -> TemplateColumn:
        return next(c for c in self.columns if c.field == field)


def _col(field: str, title: str, kind: str, explanation: str, allowed: str = "",
         required: bool = False) -> TemplateColumn:
    return TemplateColumn(field, title, kind, required, explanation, allowed)


_SCHOOL = _col("school_key", "Школа (код)", "text",
               "Код школы: логин ФИС ОКО (например, edu053001) или код из реестра школ Опоры",
               "текст", required=True)
_PROCEDURE = _col("procedure", "Процедура", "procedure", "Оценочная процедура",
                  _PROCEDURES, required=True)
_YEAR = _col("year", "Год", "year",
             "Календарный год проведения (ВПР весной 2024 года → 2024)", "2010–2040", True)
_GRADE = _col("grade", "Класс (параллель)", "grade", "Параллель: 4 для ВПР в 4 классах",
              "целое 1–11", True)
_SUBJECT = _col("subject", "Предмет", "subject",
                "Предмет: название, сокращение или код", _SUBJECTS, True)


def _count(field: str, title: str, explanation: str, required: bool = False) -> TemplateColumn:
    return _col(field, title, "count", explanation, "целое число ≥ 0", required)


_ALLOWED = {"count": "целое число ≥ 0", "share": "число 0–100 (проценты, не доли: 25, а не 0,25)",
            "number": "число ≥ 0"}


def _passport(column: ContextColumn) -> TemplateColumn:
    """A passport column titled «name, unit» as the glossary names it (the reader's key)."""
    return _col(column.code, f"{column.name_ru}, {column.unit}", column.kind, column.explanation,
                _ALLOWED[column.kind])


RESULTS_TEMPLATE = Template(
    "results", "Результаты участников (по ученикам)", RESULTS,
    (
        _SCHOOL, _PROCEDURE, _YEAR, _GRADE, _SUBJECT,
        _col("participant_code", "Код участника", "code", "Обезличенный код участника",
             "цифры", True),
        _col("class_label", "Класс (литера)", "text", "Класс, как в школе: «4А», «4Б»", "текст"),
        _col("sex", "Пол (м/ж)", "sex", "Пол участника", "м, ж"),
        _col("variant", "Вариант", "count", "Номер варианта работы", "целое число"),
        _col("absent", "Отсутствовал (да/нет)", "yes_no",
             "«да» — участник не писал работу (баллы и отметка пустые); пусто — «нет»", "да, нет"),
        _col("primary_score", "Первичный балл", "number", "Сумма первичных баллов",
             "число ≥ 0"),
        _col("mark", "Отметка (2–5)", "mark", "Отметка за работу по шкале перевода", "2, 3, 4, 5"),
        _col("test_score", "Тестовый балл (0–100)", "score100", "Тестовый балл (ЕГЭ)", "0–100"),
        _col("term_mark", "Отметка за четверть (2–5)", "mark",
             "Отметка за предыдущую четверть/триместр/полугодие", "2, 3, 4, 5"),
    ),
    ("participant_code",),
)

AGGREGATES_TEMPLATE = Template(
    "aggregates", "Результаты школ (итоги по школе)", AGGREGATES,
    (
        _SCHOOL,
        _col("school_name", "Наименование школы", "text", "Краткое наименование («СОШ № 5»)",
             "текст"),
        _col("municipality", "Муниципалитет", "text", "Муниципальное образование", "текст"),
        _PROCEDURE, _YEAR, _GRADE, _SUBJECT,
        _count("participants", "Участников, чел.", "Приняли участие", required=True),
        _count("mark_2", "Получили «2», чел.", "Число участников с отметкой «2»"),
        _count("mark_3", "Получили «3», чел.", "Число участников с отметкой «3»"),
        _count("mark_4", "Получили «4», чел.", "Число участников с отметкой «4»"),
        _count("mark_5", "Получили «5», чел.", "Число участников с отметкой «5»"),
        _count("below_threshold", "Не преодолели минимальный порог, чел.",
               "Число участников ниже минимального порога"),
        _count("high_scorers", "Высокобалльники (80–99 баллов), чел.",
               "ЕГЭ: число участников с 80–99 тестовыми баллами"),
        _count("top_scorers", "Получили 100 баллов, чел.", "ЕГЭ: число стобалльников"),
        _col("mean_score", "Средний балл", "number", "Средний балл в шкале из соседнего столбца",
             "число ≥ 0"),
        _col("score_scale", "Шкала среднего балла", "scale",
             "В какой шкале средний балл", "первичный, тестовый, отметка, процент"),
    ),
    ("participants",),
)

CONTEXT_TEMPLATE = Template(
    "context", "Контекстные данные (социальный паспорт школы)", CONTEXT,
    (
        _SCHOOL,
        _col("year", "Учебный год (год начала)", "year",
             "Год начала учебного года: 2023 → 2023/24", "2010–2040", True),
        *(_passport(column) for column in CONTEXT_COLUMNS),
    ),
    ("share_single_parent", "share_low_income", "share_ovz", "students", "teachers"),
)

MARKERS_TEMPLATE = Template(
    "markers", "Федеральные маркеры необъективности", MARKERS,
    (
        _SCHOOL,
        _col("school_name", "Наименование школы", "text", "Наименование, как в списке", "текст"),
        _col("year", "Год", "year", "Год процедуры, к которой относится маркер", "2010–2040",
             True),
        _col("marker", "Маркер", "marker",
             "Маркер, как в федеральном списке: класс и сокращение предмета",
             "«4 РУ», «4 МА», «5 РУ», «5 МА», …", True),
        _col("source", "Источник списка", "text", "Откуда список (письмо, дата)", "текст"),
    ),
    ("marker",),
)

RECHECKS_TEMPLATE = Template(
    "rechecks", "Результаты региональной перепроверки работ", RECHECKS,
    (
        _SCHOOL,
        _col("school_name", "Наименование школы", "text", "Наименование, как в протоколе",
             "текст"),
        _PROCEDURE, _YEAR, _GRADE, _SUBJECT,
        _count("works_rechecked", "Перепроверено работ, шт.",
               "Сколько работ школы перепроверила региональная комиссия", required=True),
        _count("works_changed", "Работ с изменённой отметкой, шт.",
               "У скольких из них после перепроверки изменилась отметка (или балл)"),
        _col("mean_change", "Среднее изменение балла", "signed",
             "Средний балл перепроверки минус средний балл школы по тем же работам, в первичных "
             "баллах: −1,5 — комиссия поставила в среднем на 1,5 балла меньше",
             "число от −1000 до 1000, дробное через запятую"),
        _col("source", "Источник", "text", "Протокол или письмо комиссии (номер, дата)",
             "текст"),
    ),
    ("works_rechecked",),
)

TEMPLATES: dict[str, Template] = {
    t.name: t for t in (RESULTS_TEMPLATE, AGGREGATES_TEMPLATE, CONTEXT_TEMPLATE, MARKERS_TEMPLATE,
                        RECHECKS_TEMPLATE)
}
