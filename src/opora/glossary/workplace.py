"""The words of the workplace's machinery: data tables, official lists, engines, run stages
and outputs, report kinds."""

from __future__ import annotations

from opora.glossary.terms import WorkTerm

# --- Data and runs: the words of the workplace's machinery -----------------------------------

def _work(kind: str, code: str, name: str, *, full_name_ru: str = "",
          synonyms: tuple[str, ...] = ()) -> WorkTerm:
    return WorkTerm(code=code, name_ru=name, plural_ru=name, kind=kind,
                    full_name_ru=full_name_ru, synonyms=synonyms)


#: Tables of loaded data (``opora.schemas.TABLES``), as an upload's counts name them.
DATA_TABLES: tuple[WorkTerm, ...] = (
    _work("table", "schools", "школы"), _work("table", "scales", "шкалы работ"),
    _work("table", "tasks", "задания"), _work("table", "results", "результаты участников"),
    _work("table", "aggregates", "результаты школ",
          synonyms=("агрегаты", "опубликованные итоги школ")),
    _work("table", "reference", "эталонные значения",
          synonyms=("итоги по региону и муниципалитетам",)),
    _work("table", "context", "контекстные паспорта", synonyms=("социальные паспорта",)),
    _work("table", "markers", "маркеры необъективности"),
    _work("table", "official_lists", "официальные списки школ",
          synonyms=("список ШНОР министерства", "список 500+")),
    _work("table", "rechecks", "результаты перепроверки", synonyms=("перепроверка работ",)),
    _work("table", "truth", "«истина» генератора демо-данных"),
)
#: Kinds of official lists of schools as they arrive from above (``official_lists.list_kind``):
#: facts with a source and a year, shown beside the engine's own flags (DOMAIN.md, «Lists from
#: above»).
OFFICIAL_LIST_KINDS: tuple[WorkTerm, ...] = (
    _work("list", "low_results_official", "официальный список ШНОР",
          full_name_ru="список школ с низкими образовательными результатами (министерство, регион)",
          synonyms=("список ШНОР", "перечень ШНОР")),
    _work("list", "adverse_context_official", "официальный список ШНСУ",
          full_name_ru="список школ, функционирующих в неблагоприятных социальных условиях",
          synonyms=("список ШНСУ",)),
    _work("list", "project_500", "список проекта «500+»",
          full_name_ru="школы — участники проекта адресной методической помощи «500+»",
          synonyms=("500+", "проект 500+")),
)
#: Where a run is computed (``AnalysisRun.engine``, ``opora analyze --engine``).
ENGINES: tuple[WorkTerm, ...] = (
    _work("engine", "duckdb", "на этом сервере (DuckDB)", full_name_ru="встроенный движок DuckDB"),
    _work("engine", "spark", "на кластере Apache Spark"),
)
#: The stages of a run, in order (``AnalysisRun.stage``, its timings).
RUN_STAGES: tuple[WorkTerm, ...] = (
    _work("stage", "export", "выгрузка данных"), _work("stage", "engine", "расчёт"),
    _work("stage", "load", "сохранение результатов"),
    _work("stage", "commit", "фиксация сохранения в базе"),
)
#: What a finished run stored, as its counts name it.
RUN_OUTPUTS: tuple[WorkTerm, ...] = (
    _work("output", "flags", "отметки"), _work("output", "school_stats", "показатели школ"),
    _work("output", "context", "строки контекста"),
    _work("output", "objectivity", "признаки необъективности"),
    _work("output", "pairs", "пары"), _work("output", "unpaired", "школы без пары (почему)"),
    _work("output", "unknown_schools", "школы не из реестра"),
)
_REPORTS = "reports.md#"
#: What Опора builds as documents and publishes (issue 17; ``opora.web.reports``): the kinds of
#: report (``ReportTemplate.kind``) and the public parts.
REPORT_KINDS: tuple[WorkTerm, ...] = (
    WorkTerm(code="note", name_ru="аналитическая справка", plural_ru="аналитические справки",
             kind="report", full_name_ru="аналитическая справка о работе со школами с низкими "
             "образовательными результатами за год", synonyms=("справка", "аналитическая записка"),
             anchor=_REPORTS + "аналитическая-справка", module="opora.web.reports.data"),
    WorkTerm(code="protocol", name_ru="протокол рабочей группы",
             plural_ru="протоколы рабочей группы", kind="report",
             full_name_ru="протокол заседания муниципальной рабочей группы по МСОКО",
             synonyms=("протокол", "протокол заседания"),
             anchor=_REPORTS + "протокол-рабочей-группы", module="opora.web.reports.data"),
    WorkTerm(code="school", name_ru="профиль школы", plural_ru="профили школ", kind="report",
             synonyms=("карточка школы документом",), anchor=_REPORTS + "профиль-школы",
             module="opora.web.reports.data"),
    WorkTerm(code="indicators", name_ru="таблицы показателей", plural_ru="таблицы показателей",
             kind="report", full_name_ru="таблицы показателей мониторинга муниципалитета и школ "
             "по годам", synonyms=("показатели документом", "таблица показателей"),
             anchor=_REPORTS + "таблицы-показателей", module="opora.web.reports.tables"),
    WorkTerm(code="review", name_ru="экспертный лист", plural_ru="экспертные листы",
             kind="report", full_name_ru="заполненный экспертный лист программы или дорожной "
             "карты", synonyms=("экспертное заключение", "лист эксперта"),
             anchor=_REPORTS + "экспертный-лист", module="opora.web.reports.tables"),
    WorkTerm(code="public_page", name_ru="публичная страница МСОКО",
             plural_ru="публичные страницы МСОКО", kind="report",
             synonyms=("раздел МСОКО сайта", "публичная страница"),
             anchor=_REPORTS + "публичная-страница-мсоко", module="opora.web.reports.public"),
    WorkTerm(code="open_data", name_ru="открытые данные", plural_ru="открытые данные",
             kind="report", synonyms=("открытые данные МСОКО",),
             anchor=_REPORTS + "открытые-данные", module="opora.web.reports.public"),
)


#: The ``source`` every row of generated demo data carries (``opora generate``, ``opora demo``).
#: Evidence leaves it out and a demo installation's pages say it once (issue 13: every sentence
#: ended with «синтетика: opora generate --scale municipality --seed 1»).
DEMO_SOURCE = "демо-данные"


def work_name(terms: tuple[WorkTerm, ...], code: str) -> str:
    """The Russian name of a table, engine, stage or output; an unknown code as it is."""
    return next((t.name_ru for t in terms if t.code == code), code)
