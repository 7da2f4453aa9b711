"""The normalised tables: the one contract between readers, the generator, the engine and the web.

Every reader (``opora.formats``) and the generator (``opora.demo``) write these tables as Parquet
files named ``<table>.parquet`` in one directory; the engine reads them; the web app loads them
into the database and exports them back. ``docs/formats.md`` is generated from this module
(``opora docs-formats``) and a test keeps the two in sync.

Units are part of the contract: shares are **percent, 0–100**, never fractions; scores are in the
scale named by the row (``score_scale``) and never mixed.

The engine's outputs (:data:`OUTPUTS`: ``school_stats``, ``flags``, ``context``, ``objectivity``,
``pairs``) are declared here too, with the same machinery: ``opora analyze`` writes them as files,
``opora.engine.analyze_tables`` returns them as Arrow tables of exactly these schemas, and the web
stores them per run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from opora.glossary import CONTEXT_COLUMNS, SIGNS, ContextColumn


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    unit: str
    meaning: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    file: str = ""  # the file's name when it is not ``<name>.parquet`` (flags.csv, pairs.csv)

    @property
    def filename(self) -> str:
        return self.file or f"{self.name}.parquet"

    @property
    def schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, c.type, nullable=not c.required) for c in self.columns]
        )

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def empty(self) -> pa.Table:
        return self.schema.empty_table()


def _c(name: str, type_: pa.DataType, unit: str, meaning: str, required: bool = False) -> Column:
    return Column(name, type_, unit, meaning, required)


S, I8, I16, I32, F32, F64, B = (
    pa.string(), pa.int8(), pa.int16(), pa.int32(), pa.float32(), pa.float64(), pa.bool_()
)

_CELL = (
    _c("procedure", S, "код", "Процедура: VPR, OGE, EGE, GVE, NIKO, DKR", True),
    _c("year", I16, "год", "Календарный год проведения процедуры (ВПР весной 2024 → 2024)", True),
    _c("grade", I8, "класс", "Параллель (класс), 1–11; для ЕГЭ 11, для ОГЭ 9", True),
    _c("subject", S, "код", "Предмет: код из каталога (rus, math, math_profile, …)", True),
)

SCHOOLS = Table(
    "schools", "Школы (реестр ОО)", ("school_key",),
    (
        _c("school_key", S, "—", "Устойчивый ключ школы внутри набора данных", True),
        _c("region", S, "—", "Субъект РФ"),
        _c("municipality", S, "—", "Муниципальное образование"),
        _c("number", I32, "—", "Номер школы (№), если есть"),
        _c("short_name", S, "—", "Краткое наименование («СОШ № 5»)"),
        _c("full_name", S, "—", "Полное наименование с организационно-правовой формой"),
        _c("kind", S, "код", "Вид: primary, basic, secondary, lyceum, gymnasium, boarding, evening"),
        _c("microdistrict", S, "—", "Микрорайон / населённый пункт"),
        _c("address", S, "—", "Адрес"),
        _c("latitude", F64, "градусы", "Широта (для расстояний между школами), если известна"),
        _c("longitude", F64, "градусы", "Долгота, если известна"),
        _c("fis_oko_login", S, "—", "Логин в ФИС ОКО, например edu053001"),
        _c("active_from", I16, "год", "Первый учебный год работы (год начала)"),
        _c("active_to", I16, "год", "Последний учебный год работы; пусто — работает"),
    ),
)

SCALES = Table(
    "scales", "Шкалы процедур по годам", ("procedure", "year", "grade", "subject"),
    (
        *_CELL,
        _c("max_primary_score", F32, "первичный балл", "Максимальный первичный балл", True),
        _c("boundary_3", F32, "первичный балл", "Минимальный первичный балл для отметки «3»"),
        _c("boundary_4", F32, "первичный балл", "Минимальный первичный балл для отметки «4»"),
        _c("boundary_5", F32, "первичный балл", "Минимальный первичный балл для отметки «5»"),
        _c("min_threshold", F32, "см. threshold_scale",
           "Минимальный порог (ниже — «не преодолел минимальный порог»)"),
        _c("threshold_scale", S, "код", "Шкала порога: primary (первичный) или test (тестовый)"),
    ),
)

TASKS = Table(
    "tasks", "Задания работы", ("procedure", "year", "grade", "subject", "task_no"),
    (
        *_CELL,
        _c("task_no", I16, "—", "Порядковый номер задания в работе (с 1)", True),
        _c("task_label", S, "—", "Обозначение задания в бланке («11.3 k1»)", True),
        _c("max_score", F32, "первичный балл", "Максимальный балл за задание", True),
        _c("level", S, "код", "Уровень сложности по спецификации: basic, advanced, high"),
    ),
)

RESULTS = Table(
    "results", "Результаты участников (уровень ученика)",
    ("school_key", "procedure", "year", "grade", "subject", "participant_code"),
    (
        _c("school_key", S, "—", "Ключ школы (см. schools)", True),
        *_CELL,
        _c("participant_code", S, "—", "Обезличенный код участника", True),
        _c("class_label", S, "—", "Класс (литера или номер), как в бланке"),
        _c("sex", S, "код", "Пол: м / ж"),
        _c("variant", I16, "—", "Вариант работы"),
        _c("absent", B, "да/нет", "Участник отсутствовал (баллов нет)", True),
        _c("primary_score", F32, "первичный балл", "Сумма первичных баллов (пересчитана, не из формулы)"),
        _c("mark", I8, "отметка 2–5", "Отметка по шкале перевода"),
        _c("test_score", F32, "тестовый балл 0–100", "Тестовый балл (ЕГЭ)"),
        _c("term_mark", I8, "отметка 2–5", "Отметка за предыдущую четверть/триместр/полугодие"),
        _c("task_scores", pa.list_(F32), "первичный балл",
           "Баллы по заданиям в порядке task_no (пусто у отсутствовавших)"),
        _c("source", S, "—", "Файл-источник: имя, лист, строка"),
    ),
)

AGGREGATES = Table(
    "aggregates", "Результаты школ (агрегаты, как публикуются)",
    ("school_key", "procedure", "year", "grade", "subject"),
    (
        _c("school_key", S, "—", "Ключ школы (см. schools)", True),
        _c("school_name", S, "—", "Наименование школы, как в источнике"),
        _c("municipality", S, "—", "Муниципальное образование, как в источнике"),
        *_CELL,
        _c("participants", I32, "чел.", "Приняли участие", True),
        _c("mark_2", I32, "чел.", "Получили «2»"),
        _c("mark_3", I32, "чел.", "Получили «3»"),
        _c("mark_4", I32, "чел.", "Получили «4»"),
        _c("mark_5", I32, "чел.", "Получили «5»"),
        _c("below_threshold", I32, "чел.", "Не преодолели минимальный порог"),
        _c("high_scorers", I32, "чел.", "Высокобалльники (ЕГЭ: 80–99 тестовых баллов)"),
        _c("top_scorers", I32, "чел.", "Получили 100 баллов"),
        _c("mean_score", F64, "см. score_scale", "Средний балл"),
        _c("score_scale", S, "код",
           "Шкала среднего: primary (первичный), test (тестовый 0–100), mark (отметка), percent"),
        _c("source", S, "—", "Файл-источник: имя, лист, строка"),
    ),
)

REFERENCE = Table(
    "reference", "Эталонные значения региона и муниципалитетов",
    ("level", "region", "municipality", "procedure", "year", "grade", "subject"),
    (
        _c("level", S, "код", "region — итог по региону; municipality — итог муниципалитета", True),
        _c("region", S, "—", "Субъект РФ"),
        _c("municipality", S, "—", "Муниципалитет (пусто для уровня region)"),
        *_CELL,
        _c("participants", I32, "чел.", "Приняли участие"),
        _c("below_threshold", I32, "чел.", "Не преодолели минимальный порог"),
        _c("high_scorers", I32, "чел.", "Высокобалльники (80–99)"),
        _c("top_scorers", I32, "чел.", "Получили 100 баллов"),
        _c("mark_2", I32, "чел.", "Получили «2»"),
        _c("mean_score", F64, "см. score_scale", "Средний балл"),
        _c("score_scale", S, "код", "Шкала среднего (как в aggregates)"),
        _c("source", S, "—", "Откуда значение: файл и строка итога, или «вычислено»"),
    ),
)

def _passport_column(column: ContextColumn) -> Column:
    """A passport value as the contract stores it: counts as integers, shares as percent 0–100."""
    if column.kind == "count":
        return _c(column.code, I32, column.unit, column.explanation)
    unit = "% (0–100)" if column.kind == "share" else column.unit
    return _c(column.code, F32, unit, column.explanation)


#: The passport's values are the glossary's (``opora.glossary.CONTEXT_COLUMNS``), in its order.
CONTEXT = Table(
    "context", "Контекстные данные (социальный паспорт школы)", ("school_key", "year"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        _c("year", I16, "год", "Учебный год (год начала: 2023 → 2023/24)", True),
        *(_passport_column(column) for column in CONTEXT_COLUMNS),
        _c("source", S, "—", "Файл-источник"),
    ),
)

MARKERS = Table(
    "markers", "Федеральные маркеры необъективности",
    ("school_key", "year", "grade", "subject"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        _c("school_name", S, "—", "Наименование, как в списке"),
        _c("municipality", S, "—", "Муниципалитет, как в списке (для сопоставления по названию)"),
        _c("year", I16, "год", "Год процедуры", True),
        _c("grade", I8, "класс", "Параллель («4» в маркере «4 РУ»)", True),
        _c("subject", S, "код", "Предмет (rus из «РУ», math из «МА»)", True),
        _c("marker", S, "—", "Маркер как в списке («4 РУ»)", True),
        _c("source", S, "—", "Источник списка"),
    ),
)

OFFICIAL_LISTS = Table(
    "official_lists", "Официальные списки школ (как опубликованы: ШНОР, ШНСУ, «500+»)",
    ("school_key", "year", "list_kind"),
    (
        _c("school_key", S, "—", "Ключ школы: логин ФИС ОКО из списка или ключ по названию", True),
        _c("school_name", S, "—", "Наименование, как в списке"),
        _c("municipality", S, "—", "Муниципалитет, как в списке"),
        _c("fis_oko_login", S, "—", "Логин ФИС ОКО, как в списке"),
        _c("year", I16, "год", "Год, на который школа включена в список", True),
        _c("list_kind", S, "код",
           "Вид списка: low_results_official (ШНОР от министерства или региона), "
           "adverse_context_official (ШНСУ), project_500 (проект «500+»); docs/glossary.md",
           True),
        _c("source", S, "—", "Источник: заголовок списка, файл, лист, строка", True),
    ),
)

RECHECKS = Table(
    "rechecks", "Результаты региональной перепроверки работ",
    ("school_key", "procedure", "year", "grade", "subject"),
    (
        _c("school_key", S, "—", "Ключ школы (логин ФИС ОКО или код реестра)", True),
        _c("school_name", S, "—", "Наименование школы, как в файле"),
        *_CELL,
        _c("works_rechecked", I32, "шт.", "Работ перепроверено", True),
        _c("works_changed", I32, "шт.",
           "Работ, у которых после перепроверки изменилась отметка (или балл)"),
        _c("mean_change", F64, "первичный балл",
           "Среднее изменение балла: балл перепроверки − балл школы (отрицательное — школа "
           "завысила)"),
        _c("source", S, "—", "Файл-источник: имя, лист, строка"),
    ),
)

TRUTH = Table(
    "truth", "Истина генератора: какие свойства внедрены в какие школы",
    ("school_key", "property", "year", "grade", "subject"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        _c("property", S, "код",
           "persistently_low, improving, declining, resilient, adverse_context, leader, small, "
           "inflated_marks, boundary_peaks, task_inversion, cohort_collapse", True),
        _c("year", I16, "год", "Год, к которому относится свойство (пусто — ко всем годам)"),
        _c("grade", I8, "класс", "Параллель (для признаков необъективности)"),
        _c("subject", S, "код", "Предмет (для признаков необъективности)"),
        _c("strength", F32, "—", "Сила внедрённого эффекта (в единицах, описанных в docs/generator.md)"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (SCHOOLS, SCALES, TASKS, RESULTS, AGGREGATES, REFERENCE, CONTEXT, MARKERS,
              OFFICIAL_LISTS, RECHECKS, TRUTH)
}

PROBLEM_COLUMNS = ("file", "sheet", "row", "column", "code", "message")

# --- The engine's outputs ----------------------------------------------------------------------

_PP, _PCT = "п. п.", "% (0–100)"


def _cell_key(*names: str) -> tuple[Column, ...]:
    """The cell's columns (:data:`_CELL`) in the order the engine sorts its outputs by."""
    by_name = {c.name: c for c in _CELL}
    return tuple(by_name[n] for n in names)


_OUTPUT_CELL = (_c("school_key", S, "—", "Ключ школы (см. schools)", True),
                *_cell_key("procedure", "subject", "grade", "year"))
_KEY = ("school_key", "procedure", "subject", "grade", "year")

SCHOOL_STATS = Table(
    "school_stats", "Результат школы в ячейке против региона (школа × процедура × предмет × класс × год)",
    _KEY,
    (
        *_OUTPUT_CELL,
        _c("level", S, "код",
           "student — из результатов участников; aggregate — из опубликованных агрегатов", True),
        _c("participants", I32, "чел.", "Участники с результатом (без отсутствовавших)", True),
        _c("score_scale", S, "код", "Шкала mean_score: primary, test, mark"),
        _c("max_score", F64, "балл", "Максимум шкалы mean_score"),
        _c("mean_score", F64, "см. score_scale", "Средний балл в шкале процедуры"),
        _c("mean_pct", F64, "% от максимума", "Средний балл в процентах от максимума"),
        _c("mark_2", I32, "чел.", "Отметок «2»"),
        _c("mark_3", I32, "чел.", "Отметок «3»"),
        _c("mark_4", I32, "чел.", "Отметок «4»"),
        _c("mark_5", I32, "чел.", "Отметок «5»"),
        _c("below_threshold", I32, "чел.", "Не преодолели минимальный порог"),
        _c("fail_share_pct", F64, _PCT,
           "Доля не справившихся: «2» или ниже минимального порога (большее из двух)"),
        _c("region_mean_pct", F64, "% от максимума", "Среднее региона в той же ячейке"),
        _c("region_sd_pct", F64, "% от максимума",
           "Стандартное отклонение результатов учеников региона (пусто без данных учеников)"),
        _c("region_participants", I32, "чел.", "Участников в регионе (из загруженных данных)"),
        _c("gap_pct", F64, _PP, "Разница школы с регионом: mean_pct − region_mean_pct"),
        _c("gap_low_pct", F64, _PP, "Нижняя граница 95 % интервала разницы"),
        _c("gap_high_pct", F64, _PP, "Верхняя граница 95 % интервала разницы"),
        _c("sd_pct", F64, "% от максимума", "Стандартное отклонение, взятое для интервала"),
        _c("sd_kind", S, "код",
           "Откуда стандартное отклонение: school (свои ученики), region, default (из правил)"),
        _c("region_source_kind", S, "код",
           "Откуда среднее региона: computed (вычислено), reference (эталон); пусто — нет"),
        _c("region_source", S, "—", "Источник среднего региона словами (файл и строка итога)"),
        _c("status", S, "код",
           "Вывод: low (ниже региона), high (выше), same (разница в пределах погрешности), "
           "too_few (мало участников), no_region (нет значения региона)"),
    ),
)

FLAGS = Table(
    "flags", "Отметки школ (флаги) с обоснованием", ("school_key", "flag", "year"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        _c("school_name", S, "—", "Краткое (или полное) наименование школы"),
        _c("municipality", S, "—", "Муниципальное образование"),
        _c("flag", S, "код",
           "Отметка: код из docs/glossary.md (low_results, adverse_context, leader, …)", True),
        _c("year", I16, "год", "Год, за который поставлена отметка", True),
        _c("evidence", S, "—",
           "Обоснование по-русски: процедура, предмет, класс, год, значения школы и региона, "
           "участники, интервал", True),
    ),
    file="flags.csv",
)

CONTEXT_RESULTS = Table(
    "context", "Социальный контекст: индекс, ШНСУ, ожидаемый результат и остаток по годам",
    ("school_key", "year"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        _c("year", I16, "год", "Год результатов", True),
        _c("context_year", I16, "год", "Учебный год паспорта, взятого для этого года результатов",
           True),
        *(_c(c.code, F64, "% (0–100)" if c.kind == "share" else c.unit,
             f"{c.explanation} (значение паспорта; пусто — не входит в индекс)")
          for c in CONTEXT_COLUMNS if c.index_sign),
        _c("context_index", F64, "стандартные отклонения",
           "Индекс социального контекста: больше — неблагоприятнее", True),
        _c("quintile", I8, "1–5", "Квинтиль индекса в регионе (5 — самые неблагоприятные)", True),
        _c("adverse_context", B, "да/нет", "ШНСУ: индекс в неблагоприятной доле региона", True),
        _c("result_gap_pct", F64, _PP, "Разница школы с регионом по предметам идентификации"),
        _c("expected_gap_pct", F64, _PP, "Ожидаемая при таком индексе разница (регрессия)"),
        _c("residual_pct", F64, _PP, "Результат с учётом контекста: разница − ожидаемая"),
        _c("residual_low_pct", F64, _PP, "Нижняя граница 95 % интервала остатка"),
        _c("residual_high_pct", F64, _PP, "Верхняя граница 95 % интервала остатка"),
    ),
)

OBJECTIVITY = Table(
    "objectivity", "Признаки необъективности по ячейкам ВПР", _KEY,
    (
        *_OUTPUT_CELL,
        _c("participants", I32, "чел.", "Участники с результатом", True),
        _c("term_above_pct", F64, _PCT, "Доля отметок ВПР выше четвертной (признак term)"),
        _c("term_above_region_pct", F64, _PCT, "Та же доля в регионе"),
        _c("boundary_ratio", F64, "раз",
           "Баллов ровно на границах отметок: наблюдаемое / ожидаемое по региону (boundary)"),
        _c("boundary_z", F64, "z", "z-оценка пиков на границах отметок (boundary)"),
        _c("inversion_corr", F64, "r",
           "Корреляция лёгкости задания в регионе с превышением школы (inversion)"),
        _c("cohort_change_pct", F64, _PP,
           "Изменение разницы с регионом от 4 класса к 5 классу следующего года (cohort)"),
        _c("vpr_gap_pct", F64, _PP,
           "Разница ВПР с регионом, когда есть ОГЭ/ЕГЭ по предмету (unconfirmed)"),
        _c("exam_gap_pct", F64, _PP, "Разница ОГЭ/ЕГЭ с регионом по тому же предмету и году"),
        _c("marker", S, "—", "Федеральный маркер необъективности («4 РУ»), если школа в списке"),
        *(_c(f"{s.code}_fired", B, "да/нет", f"Сработал признак: {s.name_ru}", True)
          for s in SIGNS),
        _c("any_fired", B, "да/нет", "Сработал хотя бы один признак", True),
    ),
)

PAIRS = Table(
    "pairs", "Сетевые пары: ШНОР и школа-лидер в похожих условиях",
    ("low_school_key", "leader_school_key"),
    (
        _c("low_school_key", S, "—", "Ключ школы с низкими результатами", True),
        _c("low_school_name", S, "—", "Её наименование"),
        _c("leader_school_key", S, "—", "Ключ школы-лидера", True),
        _c("leader_school_name", S, "—", "Её наименование"),
        _c("weak_subjects", S, "коды через запятую",
           "Предметы, по которым школа ниже региона (rus, math, …)"),
        _c("context_distance", F64, "единицы индекса",
           "Разница индексов социального контекста (до 0,001)"),
        _c("leader_strength_pct", F64, _PP,
           "Превышение лидера над регионом по этим предметам (до 0,001)"),
        _c("distance_km", F64, "км", "Расстояние между школами (до 0,001; пусто без координат)"),
        _c("reason", S, "—", "Почему пара предложена, по-русски", True),
    ),
    file="pairs.csv",
)

UNPAIRED = Table(
    "unpaired", "Школы списка без предложенной сетевой пары и почему",
    ("school_key",),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        _c("school_name", S, "—", "Её наименование"),
        _c("municipality", S, "—", "Муниципальное образование"),
        _c("year", I16, "год", "Год списка (последний год расчёта)", True),
        _c("reason_code", S, "код",
           "Почему нет пары: not_low — в списке не как ШНОР (пары только для ШНОР); no_leaders — "
           "нет школ-лидеров; too_far — ни одной ближе pairing.max_distance_km; no_similar — ни "
           "одной в похожих социальных условиях; capacity — подходящие лидеры заняты", True),
        _c("reason", S, "—", "Почему, по-русски, с числами", True),
        _c("leaders", I32, "школ", "Школ-лидеров там, где подбираются пары (муниципалитет)"),
        _c("leaders_near", I32, "школ", "Из них ближе pairing.max_distance_km (пусто без координат)"),
        _c("leaders_similar", I32, "школ",
           "Из них ещё и в похожих условиях (пусто без контекстных данных)"),
        _c("nearest_km", F64, "км", "Расстояние до ближайшей школы-лидера (до 0,001)"),
        _c("nearest_context_distance", F64, "единицы индекса",
           "Наименьшая разница индексов контекста с лидером в пределах расстояния (до 0,001)"),
    ),
    file="unpaired.csv",
)

#: The engine's outputs by name, in the order ``opora analyze`` writes them.
OUTPUTS: dict[str, Table] = {
    t.name: t for t in (SCHOOL_STATS, FLAGS, CONTEXT_RESULTS, OBJECTIVITY, PAIRS, UNPAIRED)
}


def conform(table: pa.Table, spec: Table) -> pa.Table:
    """Return ``table`` with exactly ``spec``'s columns, order and types (missing → null)."""
    arrays = []
    for column in spec.columns:
        if column.name in table.column_names:
            arrays.append(table.column(column.name).cast(column.type))
        else:
            arrays.append(pa.nulls(table.num_rows, column.type))
    return pa.Table.from_arrays(arrays, schema=spec.schema)


def render_markdown() -> str:
    """The body of ``docs/formats.md``: every table, column, type, unit and meaning."""
    lines = [
        "# Нормализованные таблицы Опоры",
        "",
        "Сгенерировано из `src/opora/schemas.py` командой `opora docs-formats`; не правьте руками.",
        "Каждая таблица — файл `<имя>.parquet` в одном каталоге. Доли — в процентах 0–100.",
        "",
    ]
    for spec in TABLES.values():
        lines += _table_lines(spec, spec.name)
    lines += [
        "## `problems.csv` — что не удалось прочитать", "",
        "| столбец | смысл |", "|---|---|",
        "| `file` | имя файла |", "| `sheet` | лист (пусто для CSV) |",
        "| `row` | номер строки, как в Excel (с 1) |", "| `column` | буква столбца или его заголовок |",
        "| `code` | устойчивый код ошибки (для API и фильтров) |",
        "| `message` | понятное сообщение по-русски: что не так и как исправить |", "",
    ]
    return "\n".join(lines + _render_outputs())


def _render_outputs() -> list[str]:
    lines = [
        "# Результаты анализа", "",
        "Что пишет `opora analyze КАТАЛОГ --out РЕЗУЛЬТАТЫ` и что возвращает "
        "`opora.engine.analyze_tables` (те же таблицы в памяти, для веб-расчёта). "
        "CSV — в UTF-8 с BOM (открывается в Excel); текст, который Excel принял бы за формулу, "
        "записан с апострофом в начале. Рядом — `run.json`: правила, годы, число строк, время "
        "этапов и что не удалось вычислить.", "",
    ]
    for spec in OUTPUTS.values():
        lines += _table_lines(spec, spec.filename)
    return lines


def _table_lines(spec: Table, heading: str) -> list[str]:
    lines = [f"## `{heading}` — {spec.title}", "",
             f"Ключ: {', '.join(f'`{k}`' for k in spec.key)}.", "",
             "| столбец | тип | обяз. | единица | смысл |", "|---|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.type} | {'да' if c.required else ''} | {c.unit} | {c.meaning} |"
              for c in spec.columns]
    return [*lines, ""]
