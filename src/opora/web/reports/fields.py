"""Every placeholder a report template may use, with its meaning (``docs/reports.md`` is written
from this table) and a sample context of the same shape, against which an uploaded template is
tried before it is accepted (:func:`opora.web.reports.docx.check_template`)."""

from __future__ import annotations

from typing import Any

_SECTION = ("раздел, который заполняет другое приложение: title (заголовок), available "
            "(есть ли данные), rows (строки: name, value, unit или text), note («нет данных»)")
_INDICATOR_ROW = ("criterion (критерий — в первой строке своей группы, иначе пусто), "
                  "criterion_name (критерий в каждой строке), code, name (показатель), unit "
                  "(единица измерения словом), v1, v2, v3 (значения трёх лет из years; доля — "
                  "«33,3 % (1 из 3)»), values (те же значения списком), value (значение "
                  "последнего года), typed (вводится вручную)")

COMMON: dict[str, str] = {
    "municipality": "муниципалитет (название)",
    "region": "регион (название)",
    "year": "год списка школ (число)",
    "today": "дата построения, ДД.ММ.ГГГГ",
    "organisation": "орган управления образованием (по умолчанию «Управление образования (…)»)",
}
NOTE: dict[str, str] = {
    **COMMON,
    "list_basis": "основание утверждения списка (приказ, номер, дата)",
    "list_approved": "дата утверждения списка",
    "total_schools": "школ в списке года (единицы)",
    "counts": "школ по категориям: строки category, count",
    "schools": "школы списка: n, name, full_name, category, since_year, relapse («да»), "
               "evidence (обоснование словами)",
    "entered": "вошли в список против прошлого года (названия через запятую)",
    "left": "вышли из списка против прошлого года",
    "exited": "вышли из системы (два года вне списка)",
    "entered_count": "вошли в список (единицы)",
    "left_count": "вышли из списка (единицы)",
    "typology_chart": "диаграмма «Контекст и результат» (рисунок) или пусто",
    "results": "результаты школ списка за год: school, procedure, subject, grade, "
               "participants (чел.), mean_pct (%), region_pct (%), gap (п. п.), gap_value",
    "support": "сопровождение за учебный год после списка: period, events, helped, teachers, "
               "totals (name, value), rows (name, category, curators, partners, events, "
               "teachers, last_visit)",
    "staff": "педагоги школ списка: teachers, diagnosed, diagnosed_pct (%), positive, compared, "
             "positive_pct (%)",
    "years": "три года таблицы показателей: год списка и два предыдущих (числа)",
    "indicators": "показатели муниципалитета по школам официального списка за три года "
                  "(раздел: title, available, note, rows — строки: " + _INDICATOR_ROW + ")",
    "recommendations": _SECTION, "decisions": _SECTION,
    "effectiveness": "анализ эффективности (раздел: title, available, note, rows — строки: "
                     "text (вывод словами, как на странице «Анализ эффективности»), work, "
                     "entry_year, treated (школ в системе), controls (школ для сравнения), "
                     "effect (эффект, п. п.), low, high (95 % интервал, п. п.), sentence)",
}
PROTOCOL: dict[str, str] = {
    **NOTE,
    "number": "номер протокола", "date": "дата заседания", "place": "место проведения",
    "attendees": "присутствовали (строки)", "speakers": "слушали (кого)",
    "chair": "председатель", "secretary": "секретарь",
    "agenda": "повестка (строки; три вопроса протокола seed 001)",
    "heard": "«слушали»: абзацы с числами из данных",
    "decided": "«решили»: пункты (записанные решения или типовые с названиями школ)",
}
SCHOOL: dict[str, str] = {
    **COMMON,
    "school": "школа: name, full_name, key, number",
    "history": "школа в официальных списках по годам: year, status",
    "flags": "отметки официального расчёта: flag, year, evidence",
    "results": "результаты по годам: year, procedure, subject, grade, participants, mean_pct, "
               "region_pct, gap",
    "results_chart": "диаграмма «Результат школы и региона по годам» (рисунок) или пусто",
    "staff": "педагоги: teachers, diagnosed, diagnosed_pct",
}
INDICATORS: dict[str, str] = {
    **COMMON,
    "years": "три года таблиц: год и два предыдущих (числа, по возрастанию)",
    "municipal": "таблица муниципалитета (по школам официального списка): available (есть ли — "
                 "нет, когда строится таблица одной школы), rows — строки: " + _INDICATOR_ROW,
    "schools": "таблицы школ (доступных пользователю): name, full_name, key, rows — строки "
               "как у municipal",
    "school_rows": "строки всех школ подряд, у каждой ещё school (название школы)",
}
REVIEW: dict[str, str] = {
    **COMMON,
    "review": "лист: id, campaign (экспертиза), rubric (название листа), school, "
              "school_full_name, subject (что на экспертизе), round (раунд), reviewer "
              "(эксперт), submitted (дата отправки), deadline (срок экспертизы), "
              "overall_comment, total (сумма баллов), maximum (наибольшая возможная сумма)",
    "criteria": "критерии: code, title, description, scale (баллы с описаниями), min_score, "
                "max_score, score (балл эксперта), comment",
}
FIELDS: dict[str, dict[str, str]] = {"note": NOTE, "protocol": PROTOCOL, "school": SCHOOL,
                                     "indicators": INDICATORS, "review": REVIEW}

_COMMON_SAMPLE: dict[str, Any] = {"municipality": "М", "region": "Р", "year": 2025,
                                  "today": "01.01.2026", "organisation": "УО"}
_SECTION_SAMPLE: dict[str, Any] = {"title": "Т", "available": True, "note": "",
                                   "rows": [{"name": "П", "value": "1", "unit": "%",
                                             "text": "Т"}]}
_INDICATOR_SAMPLE: dict[str, Any] = {
    "criterion": "К", "criterion_name": "К", "code": "c", "name": "П", "unit": "Процент",
    "v1": "нет данных", "v2": "50,0 % (1 из 2)", "v3": "100,0 % (2 из 2)",
    "values": ["нет данных", "50,0 % (1 из 2)", "100,0 % (2 из 2)"],
    "value": "100,0 % (2 из 2)", "typed": False}
_NOTE_SAMPLE: dict[str, Any] = {
    **_COMMON_SAMPLE, "list_basis": "приказ", "list_approved": "01.09.2025", "total_schools": 1,
    "counts": [{"category": "ШНОР", "count": 1}],
    "schools": [{"n": 1, "name": "Ш", "full_name": "Ш", "category": "ШНОР", "since_year": 2025,
                 "relapse": "", "evidence": "О"}],
    "entered": "Ш", "left": "—", "exited": "—", "entered_count": 1, "left_count": 0,
    "typology_chart": "", "results": [{"school": "Ш", "procedure": "ВПР", "subject": "П",
                                       "grade": 4, "participants": 10, "mean_pct": "1,0",
                                       "region_pct": "2,0", "gap": "−1,0 п. п.",
                                       "gap_value": -1.0}],
    "support": {"period": "П", "events": 1, "helped": 1, "teachers": 1,
                "totals": [{"name": "Н", "value": 1}],
                "rows": [{"name": "Ш", "category": "ШНОР", "curators": "К", "partners": "П",
                          "events": 1, "teachers": 1, "last_visit": "—"}]},
    "staff": {"teachers": 1, "diagnosed": 1, "diagnosed_pct": "100,0", "positive": 0,
              "compared": 0, "positive_pct": "—"},
    "years": [2023, 2024, 2025],
    **{name: _SECTION_SAMPLE for name in ("recommendations", "decisions")},
    "indicators": {**_SECTION_SAMPLE, "rows": [_INDICATOR_SAMPLE]},
    "effectiveness": {**_SECTION_SAMPLE, "rows": [{
        "text": "Т", "work": "Все работы", "entry_year": 2024, "treated": 3, "controls": 9,
        "effect": "1,0", "low": "0,5", "high": "1,5", "sentence": "Т"}]},
}
SAMPLES: dict[str, dict[str, Any]] = {
    "note": _NOTE_SAMPLE,
    "protocol": {**_NOTE_SAMPLE, "number": "1", "date": "01.01.2026", "place": "М",
                 "attendees": ["А"], "speakers": "С", "chair": "П", "secretary": "С",
                 "agenda": ["А"], "heard": ["С"], "decided": ["Р"]},
    "school": {**_COMMON_SAMPLE, "school": {"name": "Ш", "full_name": "Ш", "key": "K",
                                            "number": 1},
               "history": [{"year": 2025, "status": "в списке"}],
               "flags": [{"flag": "ШНОР", "year": 2025, "evidence": "О"}],
               "results": [{"year": 2025, "procedure": "ВПР", "subject": "П", "grade": 4,
                            "participants": 10, "mean_pct": "1,0", "region_pct": "2,0",
                            "gap": "−1,0 п. п."}],
               "results_chart": "", "staff": {"teachers": 1, "diagnosed": 1,
                                              "diagnosed_pct": "100,0"}},
    "indicators": {**_COMMON_SAMPLE, "years": [2023, 2024, 2025],
                   "municipal": {"available": True, "rows": [_INDICATOR_SAMPLE]},
                   "schools": [{"name": "Ш", "full_name": "Ш", "key": "K",
                                "rows": [_INDICATOR_SAMPLE]}],
                   "school_rows": [{"school": "Ш", **_INDICATOR_SAMPLE}]},
    "review": {**_COMMON_SAMPLE,
               "review": {"id": 1, "campaign": "Э", "rubric": "Л", "school": "Ш",
                          "school_full_name": "Ш", "subject": "П", "round": 1,
                          "reviewer": "Э", "submitted": "01.01.2026",
                          "deadline": "01.01.2026", "overall_comment": "К", "total": 2,
                          "maximum": 3},
               "criteria": [{"code": "а", "title": "К", "description": "О", "scale": "0; 1",
                             "min_score": 0, "max_score": 1, "score": 1, "comment": "К"}]},
}
