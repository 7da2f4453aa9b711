"""Tables inside the engine: the per-cell sufficient statistics the heavy stage hands to the rules.

The heavy per-student stage (``opora.engine.aggregate``, PySpark DataFrame API on DuckDB or Spark)
reduces ``results`` (and converts ``aggregates``) into one row per
school × procedure × subject × grade × year — a *cell*. Every school-level rule (identification,
context, objectivity, pairing) runs in NumPy/SciPy on these rows only.
"""

from __future__ import annotations

import pyarrow as pa

from opora.schemas import _CELL, F64, I32, B, S, Table, _c

CELL_STATS = Table(
    "cell_stats", "Достаточные статистики по ячейке школа × процедура × предмет × класс × год",
    ("school_key", "procedure", "subject", "grade", "year"),
    (
        _c("school_key", S, "—", "Ключ школы", True),
        *_CELL,
        _c("level", S, "код", "student — из результатов участников; aggregate — из опубликованных агрегатов", True),
        _c("participants", I32, "чел.", "Участники с результатом (без отсутствовавших)", True),
        _c("score_scale", S, "код", "Шкала mean_score: primary, test, mark"),
        _c("max_score", F64, "балл", "Максимум шкалы mean_score: из scales для первичного, 100 для тестового, 5 для отметки"),
        _c("mean_score", F64, "см. score_scale", "Средний балл в шкале процедуры"),
        _c("mean_pct", F64, "% от максимума", "Средний балл в процентах от максимума (пусто для шкалы отметок и без максимума)"),
        _c("sum_pct", F64, "% от максимума", "Сумма процентов (для пересчёта регионального среднего)"),
        _c("sumsq_pct", F64, "%²", "Сумма квадратов процентов (пусто для агрегатов)"),
        _c("mark_2", I32, "чел.", "Отметок «2»"),
        _c("mark_3", I32, "чел.", "Отметок «3»"),
        _c("mark_4", I32, "чел.", "Отметок «4»"),
        _c("mark_5", I32, "чел.", "Отметок «5»"),
        _c("below_threshold", I32, "чел.", "Не преодолели минимальный порог (scales.min_threshold); ВПР — отметка «2»; ОГЭ/ГВЭ без порога — «2»; иначе пусто"),
        _c("high_scorers", I32, "чел.", "Высокобалльники, 80–99 тестовых баллов (только шкала test, иначе пусто)"),
        _c("top_scorers", I32, "чел.", "100 тестовых баллов (только шкала test, иначе пусто)"),
        _c("with_term_mark", I32, "чел.", "Участники, у которых известна отметка за четверть"),
        _c("mark_above_term", I32, "чел.", "Отметка за работу выше отметки за четверть"),
        _c("mark_below_term", I32, "чел.", "Отметка за работу ниже отметки за четверть"),
        _c("score_hist", pa.list_(I32), "чел.",
           "Распределение первичного балла: элемент k — участники с баллом в [k, k+1), длина max(максимум шкалы, наибольший балл)+1; только процедуры с первичной шкалой (ВПР, ОГЭ, НИКО, ДКР), пусто без участников"),
        _c("task_success", pa.list_(F64), "доля 0–1",
           "Средняя доля выполнения каждого задания (сумма баллов / (участники с поэлементными баллами × максимум задания)) в порядке task_no; пусто, если в tasks нет работы"),
        _c("has_tasks", B, "да/нет", "Есть ли поэлементные баллы"),
    ),
)
