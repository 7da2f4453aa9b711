"""The indicator catalogue: every indicator the seeds name, with its unit, level, direction,
definition and either a formula over recorded facts or «вводится вручную» (typed).

Sources (DOMAIN.md, «Indicators the seeds name»): seed 001's municipal indicators («процентная
доля ШНОР, ежегодно показывающих положительную динамику…», «количество ШНОР, охваченных
методической работой…») and its per-school tables (Критерий / Показатель / Единица измерения /
2019 / 2020 / 2021); seed 004's indicators («наличие … сетевого взаимодействия», «доля
педагогических работников … охвачены разными формами методического сопровождения», «динамика
низких результатов по процедурам», «доля … прошедших диагностику», «… положительную динамику
уровня профессиональных компетенций»). Every formula is written out in docs/methodology.md,
section «Показатели мониторинга», and computed in :mod:`opora.web.monitoring.formulas`.

The catalogue is **versioned**: a value is computed by the version in force for its year
(:func:`catalogue_for`), and a changed definition is a new version, never an edit of an old one,
so last year's table can be reproduced and explained. Russian names live in the glossary
(``glossary.INDICATORS``); this module adds what the computation needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opora.glossary import INDICATORS

SCHOOL, MUNICIPALITY = "school", "municipality"
PERCENT, PERSONS, UNITS, YES_NO, POINTS = "percent", "persons", "units", "yes_no", "points"
UNIT_SHOWN = {PERCENT: "%", PERSONS: "чел.", UNITS: "ед.", YES_NO: "да/нет", POINTS: "балл"}
UNIT_WORD = {PERCENT: "Процент", PERSONS: "Человек", UNITS: "Единицы", YES_NO: "Да/нет",
             POINTS: "Балл"}
INCREASE, DECREASE = "increase", "decrease"
TYPED = "typed"

# The seeds' criteria (the «Критерий» column of seed 001's tables).
C_RESULTS = "Положительная динамика образовательных результатов обучающихся"
C_COMPETENCE = "Совершенствование предметных компетенций педагогических работников"
C_HELP = "Оказание методической помощи"
C_NETWORK = "Осуществление сетевого взаимодействия"
C_MEASURES = "Меры и мероприятия"


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator of the catalogue. ``formula`` names a function of
    :mod:`opora.web.monitoring.formulas` (or :data:`TYPED`); ``facts`` says what its numerator
    counts (teachers, schools, results, measures) for the page «что посчитано»."""

    code: str
    unit: str
    level: str
    direction: str
    criterion: str
    formula: str
    facts: str
    definition: str

    @property
    def name_ru(self) -> str:
        return _NAMES[self.code]

    @property
    def share(self) -> bool:
        return self.unit == PERCENT

    @property
    def typed(self) -> bool:
        return self.formula == TYPED

    @property
    def unit_shown(self) -> str:
        return UNIT_SHOWN[self.unit]

    @property
    def unit_word(self) -> str:
        return UNIT_WORD[self.unit]


_NAMES = {term.code: term.name_ru for term in INDICATORS}
T, S, R, M = "teacher", "school", "result", "measure"


def _i(code: str, unit: str, level: str, criterion: str, formula: str, facts: str,
       definition: str, direction: str = INCREASE) -> IndicatorDef:
    return IndicatorDef(code, unit, level, direction, criterion, formula, facts, definition)


_SCHOOL_LEVEL: tuple[IndicatorDef, ...] = (
    _i("school_teachers_positive_results", PERCENT, SCHOOL, C_RESULTS, "teachers_positive_results",
       T, "Педагоги школы, у которых средний результат по их предметам (разность со средним по "
          "региону) вырос по сравнению с прошлым годом, из педагогов, чьи предметы оценивались "
          "в оба года."),
    _i("share_teachers_diagnosed", PERCENT, SCHOOL, C_COMPETENCE, "teachers_diagnosed", T,
       "Педагоги школы с хотя бы одной диагностикой профессиональных дефицитов до конца года, "
       "из всех педагогов школы на конец года."),
    _i("share_teachers_competence_growth", PERCENT, SCHOOL, C_COMPETENCE, "teachers_growth", T,
       "Педагоги с положительной динамикой компетенций (рост на 5 п. п. и больше между двумя "
       "последними диагностиками одного инструмента) из педагогов, у которых есть такая пара."),
    _i("school_teachers_covered_pct", PERCENT, SCHOOL, C_HELP, "teachers_covered", T,
       "Педагоги школы, участвовавшие в проведённых за год мероприятиях сопровождения (не "
       "отмеченные отсутствующими), из всех педагогов школы на конец года."),
    _i("school_teachers_covered", PERSONS, SCHOOL, C_HELP, "teachers_covered", T,
       "Число педагогов школы, охваченных методической работой за год (числитель предыдущего "
       "показателя)."),
    _i("school_teachers_network", PERSONS, SCHOOL, C_HELP, "teachers_network", T,
       "Педагоги школы в сетевом взаимодействии с педагогами школ-лидеров за год: участники "
       "сетевых сообществ, наставничества с педагогом другой школы, мероприятий, которые провела "
       "школа-лидер."),
    _i("school_teachers_help_in_school", PERSONS, SCHOOL, C_HELP, "teachers_help_in_school", T,
       "Педагоги школы, участвовавшие в выездных мероприятиях в школе (визиты, десанты, "
       "открытые уроки и т. п.) за год."),
    _i("school_teachers_help_methodists", PERSONS, SCHOOL, C_HELP, "teachers_help_methodists", T,
       "Педагоги школы, участвовавшие в мероприятиях, которые провели методисты, за год."),
    _i("school_teachers_codeveloping", PERSONS, SCHOOL, C_NETWORK, "teachers_codeveloping", T,
       "Педагоги школы, работавшие в году с наставником (наставничество, действовавшее в "
       "году)."),
    _i("school_teachers_running_seminars", PERSONS, SCHOOL, C_NETWORK, TYPED, T,
       "Педагоги, проводившие консультации и семинары по дорожной карте школы: вводится школой "
       "или координатором (в Опоре не записывается, кто вёл мероприятие)."),
    _i("school_network_partnership", YES_NO, SCHOOL, C_NETWORK, "network_partnership", S,
       "«Да», если в году у школы действовала сетевая пара со школой-лидером (с любой "
       "стороны)."),
    _i("school_measures_done", PERCENT, SCHOOL, C_MEASURES, "measures_done", M,
       "Мероприятия утверждённой дорожной карты со сроком в году, выполненные, из всех "
       "неотменённых мероприятий со сроком в году."),
    _i("school_psych_support_pct", PERCENT, SCHOOL, C_HELP, TYPED, T,
       "Педагоги, охваченные сопровождением психолого-педагогической службы (ЦППМСП), из всех "
       "педагогов школы: вводится вручную числителем и знаменателем."),
)

_MUNICIPAL_LEVEL: tuple[IndicatorDef, ...] = (
    _i("share_low_results_with_positive_dynamics", PERCENT, MUNICIPALITY, C_RESULTS,
       "low_schools_positive_dynamics", S,
       "Школы официального списка года, у которых средняя разность с регионом (по всем "
       "процедурам и предметам, взвешенная по участникам) выросла по сравнению с прошлым годом, "
       "из школ списка с результатами в оба года."),
    _i("low_teachers_diagnosed", PERCENT, MUNICIPALITY, C_COMPETENCE, "teachers_diagnosed", T,
       "Педагоги школ списка, прошедшие диагностику, из всех педагогов школ списка."),
    _i("low_teachers_competence_growth", PERCENT, MUNICIPALITY, C_COMPETENCE, "teachers_growth",
       T, "Педагоги школ списка с положительной динамикой компетенций из педагогов с парой "
          "диагностик."),
    _i("low_teachers_covered", PERCENT, MUNICIPALITY, C_HELP, "teachers_covered", T,
       "Педагоги школ списка, охваченные методическим сопровождением за год, из всех педагогов "
       "школ списка."),
    _i("low_schools_covered", UNITS, MUNICIPALITY, C_HELP, "schools_covered", S,
       "Школы списка, в которых за год проведено хотя бы одно мероприятие сопровождения."),
    _i("low_schools_in_network", UNITS, MUNICIPALITY, C_NETWORK, "network_partnership", S,
       "Школы списка в сетевой паре со школой-лидером, действовавшей в году."),
    _i("low_schools_curator_help", UNITS, MUNICIPALITY, C_HELP, "schools_curator_help", S,
       "Школы списка, которым за год оказана помощь кураторами (проведённые мероприятия "
       "кураторов)."),
    _i("low_schools_methodist_help", UNITS, MUNICIPALITY, C_HELP, "schools_methodist_help", S,
       "Школы списка, которым за год оказана помощь муниципальными координаторами и "
       "методистами."),
    _i("low_schools_gatherings", UNITS, MUNICIPALITY, C_HELP, "schools_gatherings", S,
       "Школы списка, участвовавшие за год в круглых столах, семинарах и вебинарах."),
    _i("schools_codeveloping", UNITS, MUNICIPALITY, C_NETWORK, "schools_codeveloping", S,
       "Школы муниципалитета (обе стороны сетевых пар), ведущие совместную работу: пара "
       "действовала в году, и у школы с низкими результатами есть утверждённая дорожная "
       "карта."),
    *(_i(f"low_results_{proc.lower()}", PERCENT, MUNICIPALITY, C_RESULTS, f"low_results:{proc}",
         R, f"Доля результатов «2» (ниже минимального порога) у участников {name} в школах "
            "списка: сумма по работам школ, взвешенная по участникам.", DECREASE)
      for proc, name in (("VPR", "ВПР"), ("OGE", "ОГЭ"), ("EGE", "ЕГЭ"), ("GVE", "ГВЭ"))),
)


@dataclass(frozen=True)
class Catalogue:
    version: str
    since: dt.date
    note: str
    indicators: tuple[IndicatorDef, ...]

    def by_code(self, code: str) -> IndicatorDef | None:
        return next((i for i in self.indicators if i.code == code), None)

    def of_level(self, level: str) -> list[IndicatorDef]:
        return [i for i in self.indicators if i.level == level]


CATALOGUES: tuple[Catalogue, ...] = (
    Catalogue("2026.1", dt.date(2015, 1, 1),
              "Первая версия: показатели семян 001 и 004, формулы по записанным фактам.",
              _SCHOOL_LEVEL + _MUNICIPAL_LEVEL),
)
CURRENT = CATALOGUES[-1]


def catalogue_for(year: int) -> Catalogue:
    """The version in force in ``year`` (the latest that started by 1 January of that year)."""
    found = [c for c in CATALOGUES if c.since <= dt.date(year, 12, 31)]
    return found[-1] if found else CATALOGUES[0]


def indicator(code: str) -> IndicatorDef | None:
    return CURRENT.by_code(code)
