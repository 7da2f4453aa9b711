"""The words of the recommendations, decisions and the annual cycle: codes stored in the database
and their Russian names, in display order (the glossary's shape: code, name, plural, synonyms).

Kept beside the app while ``opora.glossary`` is being reworked by the calibration work; each tuple
is a :class:`opora.glossary.Term` so it moves into the glossary unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from opora.glossary import Term

_DOC = "user-guide.md#рекомендации-решения-и-годовой-цикл"


@dataclass(frozen=True, kw_only=True)
class DecisionTerm(Term):
    """An addressee, a status, a kind of meeting, a stage of the year or a part of the system."""

    school_level: bool = False  # addressees: the school acts on it (its administrator closes it)


def _t(code: str, name: str, plural: str = "", *, synonyms: tuple[str, ...] = (),
       school_level: bool = False, full: str = "") -> DecisionTerm:
    return DecisionTerm(code=code, name_ru=name, plural_ru=plural or name, synonyms=synonyms,
                        school_level=school_level, full_name_ru=full, anchor=_DOC,
                        module="opora.web.decisions.rules")


#: The seven addressees of targeted recommendations, as seed 004 lists them («Адресные
#: рекомендации по результатам анализа … направлены следующим субъектам»), in its order.
ADDRESSEES: tuple[DecisionTerm, ...] = (
    _t("students", "Обучающимся", synonyms=("ученикам",), school_level=True),
    _t("parents", "Родителям", full="Родителям (законным представителям)",
       synonyms=("законным представителям",), school_level=True),
    _t("teachers", "Педагогам", full="Педагогам образовательной организации",
       synonyms=("учителям",), school_level=True),
    _t("school", "Образовательной организации",
       full="Образовательной организации (руководителям, заместителям руководителя)",
       synonyms=("администрации школы", "руководителю школы"), school_level=True),
    _t("methodical_centre", "Методическому центру",
       full="Муниципальной методической службе (центру информационно-методического "
            "сопровождения)", synonyms=("ИМЦ", "методической службе")),
    _t("psychological_centre", "Центру психолого-педагогической помощи",
       full="Центру психолого-педагогической, медицинской и социальной помощи",
       synonyms=("ППМС-центру", "психологической службе")),
    _t("department", "Управлению образования",
       full="Органу местного самоуправления, осуществляющему управление в сфере образования",
       synonyms=("департаменту образования", "отделу образования")),
)
ADDRESSEE_BY_CODE = {t.code: t for t in ADDRESSEES}
SCHOOL_ADDRESSEES = frozenset(t.code for t in ADDRESSEES if t.school_level)

#: A recommendation's life: suggested by a rule → accepted (or declined) by the coordinator →
#: done or not done, with evidence.
RECOMMENDATION_STATUSES: tuple[DecisionTerm, ...] = (
    _t("suggested", "Предложена", "Предложенные"),
    _t("accepted", "Принята", "Принятые", synonyms=("в работе",)),
    _t("declined", "Отклонена", "Отклонённые"),
    _t("done", "Выполнена", "Выполненные", synonyms=("выполнено",)),
    _t("not_done", "Не выполнена", "Невыполненные", synonyms=("не выполнено",)),
)
OPEN_RECOMMENDATION = "accepted"

MEETING_KINDS: tuple[DecisionTerm, ...] = (
    _t("working_group", "Заседание рабочей группы", "Заседания рабочей группы"),
    _t("coordination_council", "Координационный совет", "Координационные советы"),
    _t("directors_meeting", "Совещание руководителей", "Совещания руководителей",
       synonyms=("совещание директоров",)),
    _t("methodical_council", "Методический совет", "Методические советы"),
)

DECISION_STATUSES: tuple[DecisionTerm, ...] = (
    _t("planned", "Принято к исполнению", "Принятые к исполнению"),
    _t("in_progress", "Исполняется", "Исполняемые"),
    _t("done", "Исполнено", "Исполненные"),
    _t("not_done", "Не исполнено", "Неисполненные"),
    _t("cancelled", "Отменено", "Отменённые"),
)
OPEN_DECISION_STATUSES = ("planned", "in_progress")

MEASURE_STATUSES: tuple[DecisionTerm, ...] = (
    _t("planned", "Запланировано"),
    _t("done", "Выполнено"),
    _t("not_done", "Не выполнено"),
)

#: The stages of the year (seed 002, «Сроки»: monitoring «ежегодно, октябрь–апрель»,
#: recommendations «ежегодно, май–июль»; seed 004: effectiveness «ежегодно в первом квартале»).
#: Default dates as (month, day) from the start of the school year, or a relative year.
CYCLE_STAGES: tuple[DecisionTerm, ...] = (
    _t("identification", "Выявление ШНОР по результатам года",
       synonyms=("выявление", "утверждение списка")),
    _t("programmes", "Программы школ", synonyms=("антирисковые программы", "дорожные карты")),
    _t("monitoring", "Мониторинг показателей", synonyms=("мониторинг",)),
    _t("recommendations", "Адресные рекомендации", synonyms=("рекомендации",)),
    _t("effectiveness", "Анализ эффективности мер (август)"),
    _t("effectiveness_q1", "Анализ эффективности за год (первый квартал)"),
)
#: ((month, day) start, (month, day) due, year offset of the start, of the due date) from the
#: school year that starts in September of year Y.
CYCLE_DEFAULTS: dict[str, tuple[tuple[int, int], tuple[int, int], int, int]] = {
    "identification": ((9, 1), (9, 30), 0, 0),
    "programmes": ((9, 15), (10, 31), 0, 0),
    "monitoring": ((10, 1), (4, 30), 0, 1),
    "recommendations": ((5, 1), (7, 31), 1, 1),
    "effectiveness": ((8, 1), (8, 31), 1, 1),
    "effectiveness_q1": ((1, 10), (3, 31), 1, 1),
}

#: The nine parts of the municipal system (DOMAIN.md, «The management cycle»).
SYSTEM_PARTS: tuple[DecisionTerm, ...] = (
    _t("goals", "Цели"),
    _t("indicators", "Показатели"),
    _t("data_sources", "Методы сбора информации"),
    _t("monitoring", "Мониторинг"),
    _t("analysis", "Анализ"),
    _t("recommendations", "Адресные рекомендации"),
    _t("measures", "Меры, мероприятия"),
    _t("decisions", "Управленческие решения"),
    _t("effectiveness", "Анализ эффективности"),
)
SELF_ASSESSMENT = (("exists", "есть"), ("used", "используется"), ("analysed", "анализируется"))

SECTIONS = (
    ("Адресаты рекомендаций", ADDRESSEES), ("Состояния рекомендаций", RECOMMENDATION_STATUSES),
    ("Виды заседаний", MEETING_KINDS), ("Состояния решений", DECISION_STATUSES),
    ("Состояния мероприятий муниципального плана", MEASURE_STATUSES),
    ("Этапы годового цикла", CYCLE_STAGES), ("Части муниципальной системы", SYSTEM_PARTS),
)


def choices(terms: tuple[DecisionTerm, ...]) -> list[tuple[str, str]]:
    return [(t.code, t.name_ru) for t in terms]


def name(terms: tuple[DecisionTerm, ...], code: str) -> str:
    return next((t.name_ru for t in terms if t.code == code), code)
