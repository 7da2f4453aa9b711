"""The domain vocabulary: every flag, objectivity sign, role and passport column users see.

One record per term: its code (the value stored in tables, run files and the database), its
Russian name and plural, the synonyms people search by («устойчивые» for resilient schools,
«школы с низкими результатами» for ШНОР), its colour, where its rule lives and where the
methodology explains it. Records are declared in display order: lists, exports, legends and
counts show terms in the order of their tuple here, so there is no separate order to keep in step.

The engine and the web both read this package; it imports nothing else of Опора, so it stands below
both (the ground floor, beside :mod:`opora.catalog` and :mod:`opora.schemas`). ``docs/glossary.md``
is rendered from it (``opora docs-glossary``, :mod:`opora.cli.docs`) and a test keeps the two in
sync. Names follow the
glossary of DOMAIN.md; the methodology anchors point into ``docs/methodology.md``.

The records live in one module per part of the work (``results``, ``workplace``, ``support``,
``staff``, ``programmes``, ``decisions``; their kinds in ``terms``); every name is taken from
here, ``from opora.glossary import LOW_RESULTS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.glossary.decisions import (
    ADDRESSEE_BY_CODE,
    ADDRESSEES,
    CYCLE_STAGES,
    DECISION_STATUSES,
    MEETING_KINDS,
    OPEN_DECISION_STATUSES,
    OPEN_RECOMMENDATION,
    PLAN_MEASURE_STATUSES,
    RECOMMENDATION_STATUSES,
    SCHOOL_ADDRESSEES,
    SELF_ASSESSMENT,
    SYSTEM_PARTS,
    DecisionTerm,
)
from opora.glossary.programmes import (
    DOCUMENT_STATUSES,
    INDICATOR_DIRECTIONS,
    MEASURE_STATUSES,
    RETIRED_RISK_FACTORS,
    REVIEW_CRITERIA,
    REVIEW_DECISIONS,
    REVIEW_DISAGREEMENT_POINTS,
    REVIEW_SCALE,
    RISK_CATALOGUES,
    RISK_LEVELS,
    ROADMAP_STATUSES,
    UNITS,
    ProgrammeTerm,
    RiskCatalogue,
    programme_name,
    risk_catalogue,
    risk_factor_name,
)
from opora.glossary.results import (
    ADVERSE_CONTEXT,
    CONTEXT_COLUMN_BY_CODE,
    CONTEXT_COLUMNS,
    FAILING_SHARE,
    FLAG_BY_CODE,
    FLAG_ORDER,
    FLAGS,
    GROUPINGS,
    INDEX_COMPONENTS,
    LEADER,
    LOW_AND_ADVERSE,
    LOW_RESULTS,
    LOW_RESULTS_FLAGS,
    NEGATIVE_DYNAMICS,
    NO_FLAGS,
    NON_OBJECTIVE,
    PERSISTENTLY_LOW,
    POSITIVE_DYNAMICS,
    RESILIENT,
    RISK_ZONE,
    ROLE_BY_CODE,
    ROLES,
    SIGN_BOUNDARY,
    SIGN_BY_CODE,
    SIGN_COHORT,
    SIGN_INVERSION,
    SIGN_MARKER,
    SIGN_TERM,
    SIGN_UNCONFIRMED,
    SIGNS,
    flag_label,
    flag_rank,
    role_name,
    sign_name,
)
from opora.glossary.staff import (
    COMPETENCE_DYNAMICS,
    DEFICIT_DOMAINS,
    DIAGNOSTIC_INSTRUMENTS,
    DIAGNOSTIC_LEVELS,
    POSITIONS,
    QUALIFICATION_CATEGORIES,
    ROUTE_STEP_KINDS,
    ROUTE_STEP_STATUSES,
    TEACHING_SUBJECTS,
    staff_name,
)
from opora.glossary.support import (
    COMMUNITY_KINDS,
    DOCUMENT_KINDS,
    EVENT_KIND_BY_CODE,
    EVENT_KINDS,
    EVENT_STATUS_BY_CODE,
    EVENT_STATUSES,
    HELD_STATUSES,
    INDICATORS,
    ORGANISER_KINDS,
    RISK_FACTORS,
    support_name,
)
from opora.glossary.terms import (
    ContextColumn,
    DocumentKind,
    EventKind,
    EventStatus,
    FlagTerm,
    Grouping,
    Indicator,
    RoleTerm,
    SignTerm,
    StaffTerm,
    SupportTerm,
    Term,
    WorkTerm,
)
from opora.glossary.workplace import (
    DATA_TABLES,
    DEMO_SOURCE,
    ENGINES,
    OFFICIAL_LIST_KINDS,
    REPORT_KINDS,
    RUN_OUTPUTS,
    RUN_STAGES,
    work_name,
)


@dataclass(frozen=True)
class Section:
    """A kind of term as ``docs/glossary.md`` shows it."""

    title: str
    kind: str  # the word the alphabetical index uses («флаг», «роль», …)
    terms: tuple[Term, ...] = field(default_factory=tuple)


SECTIONS: tuple[Section, ...] = (
    Section("Флаги школ", "флаг", FLAGS),
    Section("Сочетания флагов", "сочетание флагов", GROUPINGS),
    Section("Признаки необъективности", "признак необъективности", SIGNS),
    Section("Социальный паспорт школы (контекстные данные)", "показатель паспорта",
            CONTEXT_COLUMNS),
    Section("Роли пользователей", "роль", ROLES),
    Section("Показатели", "показатель", INDICATORS),
    Section("Таблицы загруженных данных", "таблица данных", DATA_TABLES),
    Section("Официальные списки школ", "вид официального списка", OFFICIAL_LIST_KINDS),
    Section("Где выполняется расчёт", "движок расчёта", ENGINES),
    Section("Этапы расчёта", "этап расчёта", RUN_STAGES),
    Section("Что сохраняет расчёт", "результат расчёта", RUN_OUTPUTS),
    Section("Отчёты и публикация", "вид отчёта", REPORT_KINDS),
    Section("Виды мероприятий", "вид мероприятия", EVENT_KINDS),
    Section("Состояния мероприятий", "состояние мероприятия", EVENT_STATUSES),
    Section("Кто организует мероприятие", "организатор", ORGANISER_KINDS),
    Section("Сетевые сообщества", "вид сообщества", COMMUNITY_KINDS),
    Section("Факторы риска (проект «500+»)", "фактор риска", RISK_FACTORS),
    Section("Виды документов школы", "вид документа", DOCUMENT_KINDS),
    Section("Должности педагогов", "должность", POSITIONS),
    Section("Квалификационные категории", "квалификационная категория",
            QUALIFICATION_CATEGORIES),
    Section("Предметы вне каталога работ", "предмет", TEACHING_SUBJECTS),
    Section("Инструменты диагностики профессиональных дефицитов", "инструмент диагностики",
            DIAGNOSTIC_INSTRUMENTS),
    Section("Области профессиональных дефицитов", "область дефицитов", DEFICIT_DOMAINS),
    Section("Уровни диагностики", "уровень", DIAGNOSTIC_LEVELS),
    Section("Шаги индивидуального образовательного маршрута", "вид шага ИОМ", ROUTE_STEP_KINDS),
    Section("Состояния шага ИОМ", "состояние шага", ROUTE_STEP_STATUSES),
    Section("Динамика компетенций педагога", "динамика компетенций", COMPETENCE_DYNAMICS),
    Section("Версии каталога факторов риска", "версия каталога", RISK_CATALOGUES),
    Section("Факторы риска прежних версий каталога", "фактор риска", RETIRED_RISK_FACTORS),
    Section("Уровни факторов риска", "уровень риска", RISK_LEVELS),
    Section("Состояния документов школы", "состояние документа", DOCUMENT_STATUSES),
    Section("Состояния дорожной карты", "состояние дорожной карты", ROADMAP_STATUSES),
    Section("Состояния мероприятий дорожной карты", "состояние мероприятия дорожной карты",
            MEASURE_STATUSES),
    Section("Единицы измерения показателей", "единица измерения", UNITS),
    Section("Направления показателей", "направление показателя", INDICATOR_DIRECTIONS),
    Section("Критерии экспертного листа по умолчанию", "критерий экспертизы", REVIEW_CRITERIA),
    Section("Решения по итогам экспертизы", "решение по экспертизе", REVIEW_DECISIONS),
    Section("Адресаты рекомендаций", "адресат рекомендации", ADDRESSEES),
    Section("Состояния рекомендаций", "состояние рекомендации", RECOMMENDATION_STATUSES),
    Section("Виды заседаний", "вид заседания", MEETING_KINDS),
    Section("Состояния управленческих решений", "состояние решения", DECISION_STATUSES),
    Section("Состояния мероприятий муниципального плана", "состояние мероприятия плана",
            PLAN_MEASURE_STATUSES),
    Section("Этапы годового цикла", "этап года", CYCLE_STAGES),
    Section("Части муниципальной системы", "часть системы", SYSTEM_PARTS),
)


__all__ = ["ADDRESSEES", "ADDRESSEE_BY_CODE", "ADVERSE_CONTEXT", "COMMUNITY_KINDS", "COMPETENCE_DYNAMICS", "CONTEXT_COLUMNS", "CONTEXT_COLUMN_BY_CODE", "CYCLE_STAGES", "DATA_TABLES", "DECISION_STATUSES", "DEFICIT_DOMAINS", "DEMO_SOURCE", "DIAGNOSTIC_INSTRUMENTS", "DIAGNOSTIC_LEVELS", "DOCUMENT_KINDS", "DOCUMENT_STATUSES", "ENGINES", "EVENT_KINDS", "EVENT_KIND_BY_CODE", "EVENT_STATUSES", "EVENT_STATUS_BY_CODE", "FAILING_SHARE", "FLAGS", "FLAG_BY_CODE", "FLAG_ORDER", "GROUPINGS", "HELD_STATUSES", "INDEX_COMPONENTS", "INDICATORS", "INDICATOR_DIRECTIONS", "LEADER", "LOW_AND_ADVERSE", "LOW_RESULTS", "LOW_RESULTS_FLAGS", "MEASURE_STATUSES", "MEETING_KINDS", "NEGATIVE_DYNAMICS", "NON_OBJECTIVE", "NO_FLAGS", "OFFICIAL_LIST_KINDS", "OPEN_DECISION_STATUSES", "OPEN_RECOMMENDATION", "ORGANISER_KINDS", "PERSISTENTLY_LOW", "PLAN_MEASURE_STATUSES", "POSITIONS", "POSITIVE_DYNAMICS", "QUALIFICATION_CATEGORIES", "RECOMMENDATION_STATUSES", "REPORT_KINDS", "RESILIENT", "RETIRED_RISK_FACTORS", "REVIEW_CRITERIA", "REVIEW_DECISIONS", "REVIEW_DISAGREEMENT_POINTS", "REVIEW_SCALE", "RISK_CATALOGUES", "RISK_FACTORS", "RISK_LEVELS", "RISK_ZONE", "ROADMAP_STATUSES", "ROLES", "ROLE_BY_CODE", "ROUTE_STEP_KINDS", "ROUTE_STEP_STATUSES", "RUN_OUTPUTS", "RUN_STAGES", "SCHOOL_ADDRESSEES", "SECTIONS", "SELF_ASSESSMENT", "SIGNS", "SIGN_BOUNDARY", "SIGN_BY_CODE", "SIGN_COHORT", "SIGN_INVERSION", "SIGN_MARKER", "SIGN_TERM", "SIGN_UNCONFIRMED", "SYSTEM_PARTS", "TEACHING_SUBJECTS", "UNITS", "ContextColumn", "DecisionTerm", "DocumentKind", "EventKind", "EventStatus", "FlagTerm", "Grouping", "Indicator", "ProgrammeTerm", "RiskCatalogue", "RoleTerm", "Section", "SignTerm", "StaffTerm", "SupportTerm", "Term", "WorkTerm", "flag_label", "flag_rank", "programme_name", "risk_catalogue", "risk_factor_name", "role_name", "sign_name", "staff_name", "support_name", "work_name"]
