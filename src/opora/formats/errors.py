"""The readers' problem codes: one enum, each code with its Russian message template.

A code is the stable part of a :class:`~opora.formats.base.Problem`: it is written to
``problems.csv``, stored with every import (``ImportBatch.problems``) and will be filtered on by
the API, so a value never changes once released — add a code, don't rename one. The message a
reader shows names the place and the values («балл 3 больше максимума 2»); the template here says
what the code means in general, and is what ``docs/formats.md`` lists (``opora docs-formats``).
"""

from __future__ import annotations

from enum import StrEnum


class ReadErrorCode(StrEnum):
    """What a reader could not read, by code (values are stable; see the module docstring)."""

    message: str

    def __new__(cls, value: str, message: str) -> ReadErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.message = message
        return member

    # Sheets and files
    SHEET_SKIPPED = "sheet_skipped", "лист пропущен: на нём не результаты (пояснения, итоги, пусто)"
    SHEET_DUPLICATE = "sheet_duplicate", "лист повторяет другой лист того же файла"
    LAYOUT_CONFLICT = "layout_conflict", "заголовки листа не совпадают с другими листами той же работы"
    METADATA_MISSING = "metadata_missing", ("не указаны школа, предмет, класс или год работы: "
                                            "укажите их в бланке или при загрузке")
    SHARES_AS_FRACTIONS = "shares_as_fractions", "доли записаны дробями (0,25), а нужны проценты (25)"
    # Participant rows of the ВПР form
    CODE_MISSING = "code_missing", "не заполнен код участника"
    CODE_INVALID = "code_invalid", "код участника — не цифры"
    CODE_DUPLICATE = "code_duplicate", "код участника повторяется на листе"
    PARTICIPANT_CONFLICT = "participant_conflict", "участник есть на двух листах с разными данными"
    PARTICIPANTS_REPEATED = "participants_repeated", "участники листа повторяют другой лист"
    VARIANT_INVALID = "variant_invalid", "вариант — не целое число"
    SEX_INVALID = "sex_invalid", "пол указан не как «м» или «ж»"
    TERM_MARK_INVALID = "term_mark_invalid", "отметка за четверть — не 2, 3, 4 или 5"
    ABSENT_WITH_SCORES = "absent_with_scores", ("участник отмечен отсутствовавшим, но у него есть "
                                                "баллы или отметка")
    SCORES_MISSING = "scores_missing", "у участника не заполнены баллы по заданиям"
    SCORES_INCOMPLETE = "scores_incomplete", "баллы заполнены не по всем заданиям"
    SCORE_NOT_NUMBER = "score_not_number", "балл за задание — не число"
    SCORE_NEGATIVE = "score_negative", "балл за задание отрицательный"
    SCORE_FRACTIONAL = "score_fractional", "балл за задание дробный, а баллы ВПР целые"
    SCORE_ABOVE_MAX = "score_above_max", "балл за задание больше максимума задания"
    # Published per-school tables (ЕГЭ, ОГЭ)
    NO_PARTICIPANTS_COLUMN = "no_participants_column", ("у предмета нет столбца «приняло "
                                                        "участие»: столбцы предмета пропущены")
    UNKNOWN_SUBJECT = "unknown_subject", "предмет не найден в справочнике предметов"
    SCHOOL_WITHOUT_NAME = "school_without_name", "в строке есть результаты, но нет названия школы"
    DUPLICATE_SCHOOL = "duplicate_school", "одна школа записана дважды"
    DUPLICATE_TOTAL = "duplicate_total", "строка итога по региону встречается дважды"
    SCHOOL_MATCHED_FUZZY = "school_matched_fuzzy", ("школа сопоставлена со школой другого года по "
                                                    "сходству названия: проверьте")
    AMBIGUOUS_SCHOOL = "ambiguous_school", ("неоднозначное сопоставление со школами других лет: "
                                            "сопоставьте вручную")
    SCHOOL_MATCH_SUGGESTED = "school_match_suggested", (
        "школа, вероятно, та же, что школа другого года, но уверенности нет: записана отдельно; "
        "подтвердите сопоставление")
    SCHOOLS_MATCHED_ACROSS_YEARS = "schools_matched_across_years", (
        "сведения: сколько школ двух лет сопоставлено автоматически, предложено, не найдено")
    MUNICIPALITY_RENAMED = "municipality_renamed", (
        "сведения: муниципалитет (орган управления образованием) переименован между годами и "
        "узнан по территории в названии")
    MEAN_MISSING = "mean_missing", "участники указаны, а средний балл — нет"
    MEAN_OUT_OF_RANGE = "mean_out_of_range", "средний балл вне диапазона своей шкалы"
    MEAN_WITHOUT_PARTICIPANTS = "mean_without_participants", "средний балл указан, а участников нет"
    COUNTS_WITHOUT_PARTICIPANTS = "counts_without_participants", ("указано число человек, а "
                                                                  "участников нет")
    NEGATIVE_COUNT = "negative_count", "отрицательное число человек"
    FRACTIONAL_COUNT = "fractional_count", "дробное число человек"
    COUNT_EXCEEDS_PARTICIPANTS = "count_exceeds_participants", ("часть участников больше, чем "
                                                                "приняло участие")
    HIGH_AND_TOP_EXCEED_PARTICIPANTS = "high_and_top_exceed_participants", (
        "высокобалльников и стобалльников вместе больше, чем приняло участие")
    MARKS_EXCEED_PARTICIPANTS = "marks_exceed_participants", ("сумма отметок больше, чем приняло "
                                                              "участие")
    TOTAL_MISMATCH = "total_mismatch", "сумма участников по школам не равна итогу по региону"
    # Official lists
    MARKER_TOTAL_MISMATCH = "marker_total_mismatch", (
        "«Количество маркеров» не равно числу отмеченных маркеров строки: приняты отмеченные")
    TOTAL_MEAN_MISMATCH = "total_mean_mismatch", (
        "средний балл итога по региону не сходится со средним школ, взвешенным по участникам: "
        "взято среднее школ")
    # Fill-in templates and normalised tables (any reader)
    REQUIRED_MISSING = "required_missing", "не заполнено обязательное поле"
    BAD_VALUE = "bad_value", "значение не подходит столбцу (не тот вид или вне допустимого)"
    PART_EXCEEDS_WHOLE = "part_exceeds_whole", "часть больше целого"
    SCALE_MISSING = "scale_missing", "средний балл указан, а его шкала — нет"
    DUPLICATE_KEY = "duplicate_key", ("повтор ключа: такая же запись есть в другой строке; "
                                      "отклонены все копии")
    NOT_A_NUMBER = "not_a_number", "в ячейке не число"
    NOT_AN_INTEGER = "not_an_integer", "в ячейке не целое число"
    UNKNOWN_PROCEDURE = "unknown_procedure", "неизвестная оценочная процедура"
    YEAR_OUT_OF_RANGE = "year_out_of_range", "год вне диапазона 2000–2100"
    GRADE_OUT_OF_RANGE = "grade_out_of_range", "класс вне диапазона 1–11"
    MARK_OUT_OF_RANGE = "mark_out_of_range", "отметка вне диапазона 2–5"
    NEGATIVE_SCORE = "negative_score", "отрицательный первичный балл"
    SCORE_OUT_OF_RANGE = "score_out_of_range", "тестовый балл вне диапазона 0–100"
    SHARE_OUT_OF_RANGE = "share_out_of_range", "доля вне диапазона 0–100 %"


def render_markdown(title: str, codes: type[StrEnum], intro: str) -> str:
    """A section of ``docs/formats.md``: every code of an enum with its message template."""
    lines = [f"## {title}", "", intro, "", "| код | что значит |", "|---|---|"]
    lines += [f"| `{code.value}` | {getattr(code, 'message', '')} |" for code in codes]
    return "\n".join([*lines, ""])


def read_errors_markdown() -> str:
    return render_markdown(
        "Коды проблем чтения (`problems.csv`, столбец `code`)", ReadErrorCode,
        "Коды устойчивы: они записываются в `problems.csv` и в журнал загрузок и не меняются "
        "между версиями (новые коды добавляются, старые не переименовываются). Сообщение в "
        "`message` уточняет место и значения; здесь — что код значит.")
