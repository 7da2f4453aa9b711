"""Recommendations, decisions and the annual cycle (opora.web.decisions): addressees,
statuses, meeting kinds, stages of the year and parts of the municipal system."""

from __future__ import annotations

from dataclasses import dataclass

from opora.glossary.terms import Term

# --- Recommendations, decisions and the annual cycle (opora.web.decisions) ----------------------

_DECISIONS_DOC = "user-guide.md#рекомендации-решения-и-годовой-цикл"


@dataclass(frozen=True, kw_only=True)
class DecisionTerm(Term):
    """An addressee, a status, a kind of meeting, a stage of the year or a part of the system."""

    school_level: bool = False  # addressees: the school acts on it (its administrator closes it)


def _d(code: str, name: str, plural: str = "", *, synonyms: tuple[str, ...] = (),
       school_level: bool = False, full: str = "") -> DecisionTerm:
    return DecisionTerm(code=code, name_ru=name, plural_ru=plural or name, synonyms=synonyms,
                        school_level=school_level, full_name_ru=full, anchor=_DECISIONS_DOC,
                        module="opora.web.decisions.rules")


#: The seven addressees of targeted recommendations, as seed 004 lists them («Адресные
#: рекомендации по результатам анализа … направлены следующим субъектам»), in its order.
ADDRESSEES: tuple[DecisionTerm, ...] = (
    _d("students", "Обучающимся", synonyms=("ученикам",), school_level=True),
    _d("parents", "Родителям", full="Родителям (законным представителям)",
       synonyms=("законным представителям",), school_level=True),
    _d("teachers", "Педагогам", full="Педагогам образовательной организации",
       synonyms=("учителям",), school_level=True),
    _d("school", "Образовательной организации",
       full="Образовательной организации (руководителям, заместителям руководителя)",
       synonyms=("администрации школы", "руководителю школы"), school_level=True),
    _d("methodical_centre", "Методическому центру",
       full="Муниципальной методической службе (центру информационно-методического "
            "сопровождения)", synonyms=("ИМЦ", "методической службе")),
    _d("psychological_centre", "Центру психолого-педагогической помощи",
       full="Центру психолого-педагогической, медицинской и социальной помощи",
       synonyms=("ППМС-центру", "психологической службе")),
    _d("department", "Управлению образования",
       full="Органу местного самоуправления, осуществляющему управление в сфере образования",
       synonyms=("департаменту образования", "отделу образования")),
)
ADDRESSEE_BY_CODE = {t.code: t for t in ADDRESSEES}
SCHOOL_ADDRESSEES = frozenset(t.code for t in ADDRESSEES if t.school_level)

#: A recommendation's life: suggested by a rule → accepted (or declined) by the coordinator →
#: done or not done, with evidence.
RECOMMENDATION_STATUSES: tuple[DecisionTerm, ...] = (
    _d("suggested", "Предложена", "Предложенные"),
    _d("accepted", "Принята", "Принятые", synonyms=("в работе",)),
    _d("declined", "Отклонена", "Отклонённые"),
    _d("done", "Выполнена", "Выполненные", synonyms=("выполнено",)),
    _d("not_done", "Не выполнена", "Невыполненные", synonyms=("не выполнено",)),
)
OPEN_RECOMMENDATION = "accepted"

MEETING_KINDS: tuple[DecisionTerm, ...] = (
    _d("working_group", "Заседание рабочей группы", "Заседания рабочей группы"),
    _d("coordination_council", "Координационный совет", "Координационные советы"),
    _d("directors_meeting", "Совещание руководителей", "Совещания руководителей",
       synonyms=("совещание директоров",)),
    _d("methodical_council", "Методический совет", "Методические советы"),
)

DECISION_STATUSES: tuple[DecisionTerm, ...] = (
    _d("planned", "Принято к исполнению", "Принятые к исполнению"),
    _d("in_progress", "Исполняется", "Исполняемые"),
    _d("done", "Исполнено", "Исполненные"),
    _d("not_done", "Не исполнено", "Неисполненные"),
    _d("cancelled", "Отменено", "Отменённые"),
)
OPEN_DECISION_STATUSES = ("planned", "in_progress")

PLAN_MEASURE_STATUSES: tuple[DecisionTerm, ...] = (
    _d("planned", "Запланировано"),
    _d("done", "Выполнено"),
    _d("not_done", "Не выполнено"),
)

#: The stages of the year (seed 002, «Сроки»: monitoring «ежегодно, октябрь–апрель»,
#: recommendations «ежегодно, май–июль»; seed 004: effectiveness «ежегодно в первом квартале»).
CYCLE_STAGES: tuple[DecisionTerm, ...] = (
    _d("identification", "Выявление ШНОР по результатам года",
       synonyms=("выявление", "утверждение списка")),
    _d("programmes", "Программы школ", synonyms=("антирисковые программы", "дорожные карты")),
    _d("monitoring", "Мониторинг показателей", synonyms=("мониторинг",)),
    _d("recommendations", "Адресные рекомендации", synonyms=("рекомендации",)),
    _d("effectiveness", "Анализ эффективности мер (август)"),
    _d("effectiveness_q1", "Анализ эффективности за год (первый квартал)"),
)
#: The nine parts of the municipal system (DOMAIN.md, «The management cycle»).
SYSTEM_PARTS: tuple[DecisionTerm, ...] = (
    _d("goals", "Цели"),
    _d("indicators", "Показатели"),
    _d("data_sources", "Методы сбора информации"),
    _d("monitoring", "Мониторинг"),
    _d("analysis", "Анализ"),
    _d("recommendations", "Адресные рекомендации"),
    _d("measures", "Меры, мероприятия"),
    _d("decisions", "Управленческие решения"),
    _d("effectiveness", "Анализ эффективности"),
)
SELF_ASSESSMENT = (("exists", "есть"), ("used", "используется"), ("analysed", "анализируется"))
