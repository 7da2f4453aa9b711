"""School programmes (opora.web.programmes): risk-profile catalogues and levels, document
and roadmap statuses, units, directions, review criteria and decisions."""

from __future__ import annotations

from dataclasses import dataclass

from opora.glossary.support import RISK_FACTORS
from opora.glossary.terms import Term

# --- School programmes: risk profiles, documents, roadmaps, expert review (opora.web.programmes)

_PROGRAMMES_DOC = "user-guide.md#программы-школ-рисковые-профили-документы-дорожные-карты-экспертиза"
_PROFILES_MODULE = "opora.web.programmes.models.profiles"
_DOCUMENTS_MODULE = "opora.web.programmes.models.campaigns"
_ROADMAPS_MODULE = "opora.web.programmes.models.roadmaps"
_REVIEWS_MODULE = "opora.web.programmes.models.reviews"


@dataclass(frozen=True, kw_only=True)
class ProgrammeTerm(Term):
    """A word of the school programmes (``opora.web.programmes``): a level of a risk factor, a
    status of a document, roadmap, measure or review, a unit of an indicator, a direction, a
    decision. ``share`` marks the unit whose values lie in 0–100 (percent)."""

    kind: str
    share: bool = False


def _programme(kind: str, code: str, name: str, plural: str = "", *, module: str,
               colour: str = "", synonyms: tuple[str, ...] = (), full_name_ru: str = "",
               share: bool = False) -> ProgrammeTerm:
    return ProgrammeTerm(code=code, name_ru=name, plural_ru=plural or name, kind=kind,
                         colour=colour, synonyms=synonyms, full_name_ru=full_name_ru,
                         module=module, share=share, anchor=_PROGRAMMES_DOC)


@dataclass(frozen=True, kw_only=True)
class RiskCatalogue(Term):
    """One version of the 500+ risk-factor catalogue: used for profiles of ``first_year`` up to
    the next version's first year. ``factors`` are codes of :data:`RISK_FACTORS` or
    :data:`RETIRED_RISK_FACTORS`, in the questionnaire's order."""

    first_year: int
    factors: tuple[str, ...]
    source: str


#: Factors the pilot questionnaire of 2020 scored and the 2021 catalogue no longer names (seed
#: 003 still groups «слабая адаптация и инклюзия … обучающихся с ОВЗ» among the factors of the
#: February 2021 questionnaire). Profiles of those years keep them; later years do not show them.
RETIRED_RISK_FACTORS: tuple[ProgrammeTerm, ...] = (
    _programme("risk", "class_discipline", "Низкий уровень дисциплины в классе",
               module=_PROFILES_MODULE),
    _programme("risk", "high_share_disabilities", "Высокая доля обучающихся с ОВЗ",
               full_name_ru="высокая доля обучающихся с ограниченными возможностями здоровья",
               module=_PROFILES_MODULE),
)
_TEN_FACTORS = ("low_equipment", "teacher_shortage", "low_teacher_competence", "low_adaptivity",
                "no_professional_development", "language_barriers", "academic_failure_risk",
                "low_motivation", "weak_environment", "low_parental_involvement")
#: The catalogue by year (DOMAIN.md, «The 500+ risk profile»: «keep the catalogue versioned: it
#: changed between years»). A profile is read and shown with the version of its year; the change
#: between two years compares the factors both versions have (by code).
RISK_CATALOGUES: tuple[RiskCatalogue, ...] = (
    RiskCatalogue(code="fioko-2020", name_ru="Рисковый профиль ФИОКО, апробация 2020 года",
                  plural_ru="Рисковые профили ФИОКО 2020", first_year=2020,
                  factors=(*_TEN_FACTORS[:7], "class_discipline", *_TEN_FACTORS[7:9],
                           "high_share_disabilities", _TEN_FACTORS[9]),
                  source="анкетирование ФИОКО 2020 года (пилот проекта «500+»)",
                  module=_PROFILES_MODULE, anchor=_PROGRAMMES_DOC),
    RiskCatalogue(code="fioko-2021", name_ru="Рисковый профиль ФИОКО (десять факторов)",
                  plural_ru="Рисковые профили ФИОКО", first_year=2021, factors=_TEN_FACTORS,
                  source="методика ФИОКО 2021–2022 годов: десять факторов риска",
                  module=_PROFILES_MODULE, anchor=_PROGRAMMES_DOC),
)


def risk_catalogue(year: int) -> RiskCatalogue:
    """The catalogue version of profiles of ``year`` (the earliest for years before it)."""
    found = [c for c in RISK_CATALOGUES if c.first_year <= year]
    return found[-1] if found else RISK_CATALOGUES[0]


def risk_factor_name(code: str) -> str:
    """The Russian name of a current or retired risk factor; an unknown code as it is."""
    return next((t.name_ru for t in (*RISK_FACTORS, *RETIRED_RISK_FACTORS) if t.code == code),
                code)


#: The level of a factor in a school's profile, lowest first (the questionnaire's three levels).
RISK_LEVELS: tuple[ProgrammeTerm, ...] = (
    _programme("level", "low", "Низкий", "Низкий риск", colour="#1b7837",
               synonyms=("низкий риск", "риск низкий", "нет риска"), module=_PROFILES_MODULE),
    _programme("level", "medium", "Средний", "Средний риск", colour="#e0a526",
               synonyms=("средний риск", "риск средний", "умеренный"), module=_PROFILES_MODULE),
    _programme("level", "high", "Высокий", "Высокий риск", colour="#c2372e",
               synonyms=("высокий риск", "риск высокий"), module=_PROFILES_MODULE),
)
#: Where a school's document of a campaign stands. «Просрочен» is not stored: a document not
#: uploaded by the deadline is shown so (``opora.web.programmes.models.campaigns``).
DOCUMENT_STATUSES: tuple[ProgrammeTerm, ...] = (
    _programme("document", "not_uploaded", "Не загружен", "Не загруженные", colour="#7f7f7f",
               module=_DOCUMENTS_MODULE),
    _programme("document", "uploaded", "Загружен", "Загруженные", colour="#2166ac",
               module=_DOCUMENTS_MODULE),
    _programme("document", "overdue", "Просрочен", "Просроченные", colour="#c2372e",
               module=_DOCUMENTS_MODULE),
    _programme("document", "under_review", "На экспертизе", "На экспертизе", colour="#8073ac",
               module=_DOCUMENTS_MODULE),
    _programme("document", "needs_revision", "На доработке", "На доработке", colour="#e08214",
               module=_DOCUMENTS_MODULE),
    _programme("document", "accepted", "Принят", "Принятые", colour="#1b7837",
               module=_DOCUMENTS_MODULE),
)
#: Where a school's roadmap stands.
ROADMAP_STATUSES: tuple[ProgrammeTerm, ...] = (
    _programme("roadmap", "draft", "Черновик", "Черновики", module=_ROADMAPS_MODULE),
    _programme("roadmap", "submitted", "На экспертизе", "На экспертизе", module=_ROADMAPS_MODULE),
    _programme("roadmap", "needs_revision", "На доработке", "На доработке",
               module=_ROADMAPS_MODULE),
    _programme("roadmap", "approved", "Утверждена", "Утверждённые", module=_ROADMAPS_MODULE),
)
#: Where a measure of a roadmap stands; «просрочено» is shown for a measure not done (nor
#: cancelled) after its deadline.
MEASURE_STATUSES: tuple[ProgrammeTerm, ...] = (
    _programme("measure", "planned", "Запланировано", "Запланированные", colour="#7f7f7f",
               module=_ROADMAPS_MODULE),
    _programme("measure", "in_progress", "Выполняется", "Выполняются", colour="#2166ac",
               module=_ROADMAPS_MODULE),
    _programme("measure", "done", "Выполнено", "Выполненные", colour="#1b7837",
               module=_ROADMAPS_MODULE),
    _programme("measure", "cancelled", "Отменено", "Отменённые", colour="#999999",
               module=_ROADMAPS_MODULE),
    _programme("measure", "overdue", "Просрочено", "Просроченные", colour="#c2372e",
               module=_ROADMAPS_MODULE),
)
#: Units of an indicator (DOMAIN.md, «Indicators the seeds name (units matter)»): a share is
#: percent 0–100, never a fraction or a count.
UNITS: tuple[ProgrammeTerm, ...] = (
    _programme("unit", "percent", "%", "%", full_name_ru="процент (доля, 0–100)",
               synonyms=("процент", "проценты", "доля", "доля, %"), share=True,
               module=_ROADMAPS_MODULE),
    _programme("unit", "persons", "чел.", "чел.", full_name_ru="человек",
               synonyms=("человек", "чел"), module=_ROADMAPS_MODULE),
    _programme("unit", "units", "ед.", "ед.", full_name_ru="единиц",
               synonyms=("единицы", "единиц", "шт.", "штук", "ед"), module=_ROADMAPS_MODULE),
    _programme("unit", "yes_no", "да/нет", "да/нет", synonyms=("да / нет", "наличие"),
               module=_ROADMAPS_MODULE),
    _programme("unit", "points", "балл", "баллы", synonyms=("баллы", "баллов", "средний балл"),
               module=_ROADMAPS_MODULE),
    _programme("unit", "hours", "ч", "ч", full_name_ru="часов",
               synonyms=("часы", "часов", "час"), module=_ROADMAPS_MODULE),
)
#: Which way an indicator should move: a target of an «increase» indicator is not below its
#: baseline (the completeness check), of a «decrease» one not above it.
INDICATOR_DIRECTIONS: tuple[ProgrammeTerm, ...] = (
    _programme("direction", "increase", "Рост", synonyms=("увеличение", "повышение", "рост"),
               module=_ROADMAPS_MODULE),
    _programme("direction", "decrease", "Снижение",
               synonyms=("уменьшение", "сокращение", "понижение"), module=_ROADMAPS_MODULE),
    _programme("direction", "keep", "Сохранение", synonyms=("удержание", "не ниже"),
               module=_ROADMAPS_MODULE),
)
#: The default expert sheet for programmes: seed 003, «Экспертная оценка … документов»: for each
#: problem the programme must state (а) goals and tasks, (б) measurable indicators that do not push
#: participants to harmful actions, (в) the data collection, (г) the plan of measures, (д) how the
#: indicators are analysed and what counts as the measures having worked.
REVIEW_CRITERIA: tuple[ProgrammeTerm, ...] = tuple(
    _programme("criterion", code, name, module=_REVIEWS_MODULE, full_name_ru=full)
    for code, name, full in (
        ("а", "Цели и задачи", "цели и задачи по решению каждой проблемы"),
        ("б", "Измеримые показатели",
         "измеримые показатели продвижения к цели, не побуждающие участников к негативным "
         "действиям ради показателей"),
        ("в", "Сбор данных", "система сбора данных для расчёта показателей"),
        ("г", "План мероприятий", "план мероприятий, мер и действий по решению проблемы"),
        ("д", "Анализ результативности",
         "подходы к анализу текущих значений показателей и критерии того, что меры дали "
         "результат"),
    )
)
#: The default scale of a criterion, 0–3, with its descriptors.
REVIEW_SCALE: tuple[tuple[int, str], ...] = (
    (0, "не представлено"), (1, "представлено фрагментарно"),
    (2, "представлено с недочётами"), (3, "представлено полностью"))
#: Points between two experts' scores of one criterion from which the coordinator is warned.
REVIEW_DISAGREEMENT_POINTS = 2
#: The coordinator's decision on a document or roadmap after the review.
REVIEW_DECISIONS: tuple[ProgrammeTerm, ...] = (
    _programme("decision", "accept", "Принять", "Принятые", colour="#1b7837",
               module=_REVIEWS_MODULE),
    _programme("decision", "revise", "На доработку", "Возвращённые на доработку",
               colour="#e08214", module=_REVIEWS_MODULE),
)


def programme_name(terms: tuple[ProgrammeTerm, ...], code: str) -> str:
    """The Russian name of a level, status, unit, direction, decision…; an unknown code as it is."""
    return next((t.name_ru for t in terms if t.code == code), code)
