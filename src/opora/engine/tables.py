"""Tables inside the engine: the per-cell sufficient statistics the heavy stage hands to the rules.

The heavy per-student stage (``opora.engine.aggregate``, PySpark DataFrame API on DuckDB or Spark)
reduces ``results`` (and converts ``aggregates``) into one row per
school × procedure × subject × grade × year — a *cell*. Every school-level rule (identification,
context, objectivity, pairing) runs in NumPy/SciPy on these rows only.
"""

from __future__ import annotations

import pyarrow as pa

from opora.schemas import _CELL, B, F64, I32, S, Table, _c

CELL_STATS = Table(
    "cell_stats", "Достаточные статистики по ячейке школа × процедура × предмет × класс × год",
    ("school_key", "procedure", "subject", "grade", "year"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        *_CELL,
        _c("level", S, "код", "student — из результатов участников; aggregate — из опубликованных агрегатов", True),
        _c("participants", I32, "чел.", "Участники с результатом (без отсутствовавших)", True),
        _c("score_scale", S, "код", "Шкала mean_score: primary, test, mark"),
        _c("max_score", F64, "балл", "Максимум шкалы mean_score (для перевода в проценты)"),
        _c("mean_score", F64, "см. score_scale", "Средний балл в шкале процедуры"),
        _c("mean_pct", F64, "% от максимума", "Средний балл в процентах от максимума"),
        _c("sum_pct", F64, "% от максимума", "Сумма процентов (для пересчёта регионального среднего)"),
        _c("sumsq_pct", F64, "%²", "Сумма квадратов процентов (пусто для агрегатов)"),
        _c("mark_2", I32, "чел.", "Отметок «2»"),
        _c("mark_3", I32, "чел.", "Отметок «3»"),
        _c("mark_4", I32, "чел.", "Отметок «4»"),
        _c("mark_5", I32, "чел.", "Отметок «5»"),
        _c("below_threshold", I32, "чел.", "Не преодолели минимальный порог"),
        _c("high_scorers", I32, "чел.", "Высокобалльники (80–99)"),
        _c("top_scorers", I32, "чел.", "100 баллов"),
        _c("with_term_mark", I32, "чел.", "Участники, у которых известна отметка за четверть"),
        _c("mark_above_term", I32, "чел.", "Отметка за работу выше отметки за четверть"),
        _c("mark_below_term", I32, "чел.", "Отметка за работу ниже отметки за четверть"),
        _c("score_hist", pa.list_(I32), "чел.",
           "Распределение первичного балла: элемент k — число участников с баллом k (0…максимум)"),
        _c("task_success", pa.list_(F64), "доля 0–1",
           "Средняя доля выполнения каждого задания (балл/максимум) в порядке task_no"),
        _c("has_tasks", B, "да/нет", "Есть ли поэлементные баллы"),
    ),
)
