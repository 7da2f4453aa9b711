"""The domain vocabulary: every flag, objectivity sign, role and passport column users see.

One record per term: its code (the value stored in tables, run files and the database), its
Russian name and plural, the synonyms people search by («устойчивые» for resilient schools,
«школы с низкими результатами» for ШНОР), its colour, where its rule lives and where the
methodology explains it. Records are declared in display order: lists, exports, legends and
counts show terms in the order of their tuple here, so there is no separate order to keep in step.

The engine and the web both read this module; it imports nothing of Опора, so it stands below
both (the ground floor, beside :mod:`opora.catalog` and :mod:`opora.schemas`). ``docs/glossary.md``
is rendered from it (``opora docs-glossary``, :mod:`opora.cli.docs`) and a test keeps the two in
sync. Names follow the
glossary of DOMAIN.md; the methodology anchors point into ``docs/methodology.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Term:
    """What every record has. ``anchor`` is ``file.md#id`` under ``docs/`` («» — none yet)."""

    code: str
    name_ru: str
    plural_ru: str
    full_name_ru: str = ""  # the written-out name, where the short one is an abbreviation
    synonyms: tuple[str, ...] = ()
    colour: str = ""  # a strong colour: chart marks, the badge's border
    anchor: str = ""
    module: str = ""  # the module that holds the rule (dotted name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling a person may look this term up by."""
        seen: dict[str, str] = {}
        for name in (self.name_ru, self.plural_ru, self.full_name_ru, *self.synonyms):
            if name:
                seen.setdefault(name.lower(), name)
        return tuple(seen.values())


@dataclass(frozen=True, kw_only=True)
class FlagTerm(Term):
    """A flag the engine puts on a school (the ``flag`` column of ``flags.csv``)."""

    tint: str  # the badge's background (a light shade of ``colour``)
    rules: str  # the section(s) of rules.toml with its parameters

    @property
    def members(self) -> tuple[str, ...]:
        """The flags a school must have to count as this one (as :class:`Grouping` says it)."""
        return (self.code,)


@dataclass(frozen=True, kw_only=True)
class Grouping(Term):
    """A combination of flags that pages count and charts colour as one category."""

    members: tuple[str, ...]  # flag codes a school must all have; () — a school with none


@dataclass(frozen=True, kw_only=True)
class SignTerm(Term):
    """A sign of non-objective results (columns ``<code>_fired`` of ``objectivity.parquet``)."""

    heading_ru: str  # a short column heading (the full name goes in a hint)
    value_column: str  # the column of objectivity.parquet that holds the sign's value
    unit: str  # the unit shown after that value
    meaning_ru: str = ""  # what the value says, in one sentence a coordinator can read aloud


@dataclass(frozen=True, kw_only=True)
class RoleTerm(Term):
    """A role a user is assigned, with the kind of object the assignment is scoped to."""

    scope: str  # region, municipality or school


@dataclass(frozen=True, kw_only=True)
class ContextColumn(Term):
    """A column of the school's context passport (table ``context``, form, template, index).

    ``index_sign`` is the column's direction in the social-context index: +1 — the larger, the
    more disadvantaged; −1 — the opposite; 0 — not an index component (counts that describe the
    school's size). The default rules (rules.toml ``[context.components]``) use these signs.
    """

    unit: str  # «%» (percent 0–100), «чел.», «ед.», «км»
    kind: str  # share, count or number: how a template cell and a form box read it
    index_sign: int
    explanation: str  # one sentence for the template's «Пояснения» sheet


@dataclass(frozen=True, kw_only=True)
class WorkTerm(Term):
    """A word of the workplace's own machinery that pages show by its code: a table of loaded
    data, the engine that ran, a stage of a run, a part of its stored results."""

    kind: str  # table, engine, stage, output or list


@dataclass(frozen=True, kw_only=True)
class EventKind(Term):
    """A kind of support event (``SupportEvent.kind``, :mod:`opora.web.support`).

    ``visit``: an event held at the school itself (a visit to it, seed 000: «выезды
    (мониторинговые визиты, методические «десанты», встречи-консультации …)»), which the coverage
    page counts as the school's last visit; ``named``: the kind needs its own name («другое»).
    """

    visit: bool = False
    named: bool = False


@dataclass(frozen=True, kw_only=True)
class EventStatus(Term):
    """Where a support event stands (``SupportEvent.status``): ``held`` — it took place (counted
    on the coverage page); ``needs_reason`` — the status is given with a reason."""

    held: bool = False
    needs_reason: bool = False


@dataclass(frozen=True, kw_only=True)
class SupportTerm(Term):
    """A word of the support work: who organises an event, a kind of network community, a risk
    factor of the 500+ profile an event addresses."""

    kind: str


@dataclass(frozen=True, kw_only=True)
class DocumentKind(Term):
    """A kind of the school's development document (``ProgramDocument.kind``)."""


@dataclass(frozen=True, kw_only=True)
class StaffTerm(Term):
    """A word of a school's staff and its teachers' development (``opora.web.staff``): a
    position, a qualification category, a subject taught beyond the assessment catalogue, a
    diagnostic instrument, a domain of professional deficits, a level, a kind or status of a
    step of an individual development route (ИОМ)."""

    kind: str


@dataclass(frozen=True, kw_only=True)
class Indicator(Term):
    """An indicator of the municipal system, with its unit (DOMAIN.md, «Indicators»)."""

    unit: str
    level: str = "municipality"  # municipality or school


_METHOD = "methodology.md#"

# --- Flags -----------------------------------------------------------------------------------

LOW_RESULTS = FlagTerm(
    code="low_results", name_ru="ШНОР", plural_ru="ШНОР",
    full_name_ru="Школа с низкими образовательными результатами",
    synonyms=("школы с низкими результатами", "школа с низкими результатами", "низкие результаты",
              "низкорезультативные школы", "ниже среднего по региону"),
    colour="#ef6c00", tint="#fde7d6", anchor=_METHOD + "low-results",
    module="opora.engine.identify", rules="identification")
FAILING_SHARE = FlagTerm(
    code="failing_share", name_ru="ШНОР по доле «2»", plural_ru="ШНОР по доле «2»",
    full_name_ru="Школа с высокой долей неудовлетворительных результатов два года подряд",
    synonyms=("правило доли неудовлетворительных результатов", "доля двоек",
              "доля не преодолевших минимальный порог", "высокая доля «2»"),
    colour="#d6604d", tint="#fae0da", anchor=_METHOD + "failing-share",
    module="opora.engine.identify", rules="threshold_rule")
PERSISTENTLY_LOW = FlagTerm(
    code="persistently_low", name_ru="Стабильно низкие результаты",
    plural_ru="Стабильно низкие результаты",
    full_name_ru="Школа со стабильно низкими результатами",
    synonyms=("стойко низкие результаты", "стабильно низкие", "низкие три года подряд"),
    colour="#ef6c00", tint="#fde7d6", anchor=_METHOD + "persistently-low",
    module="opora.engine.identify", rules="identification")
RISK_ZONE = FlagTerm(
    code="risk_zone", name_ru="Зона риска", plural_ru="Зона риска",
    full_name_ru="Школа «зоны риска»",
    synonyms=("школы зоны риска", "группа риска", "риск попасть в ШНОР"),
    colour="#c9a100", tint="#fff4d6", anchor=_METHOD + "risk-zone",
    module="opora.engine.identify", rules="identification")
ADVERSE_CONTEXT = FlagTerm(
    code="adverse_context", name_ru="ШНСУ", plural_ru="ШНСУ",
    full_name_ru="Школа, функционирующая в неблагоприятных социальных условиях",
    synonyms=("неблагоприятный социальный контекст", "неблагоприятные социальные условия",
              "школы в сложных социальных условиях", "индекс социального контекста"),
    colour="#7b3294", tint="#efe3f5", anchor=_METHOD + "adverse-context",
    module="opora.engine.context", rules="context")
RESILIENT = FlagTerm(
    code="resilient", name_ru="Резильентная", plural_ru="Резильентные",
    full_name_ru="Резильентная школа",
    synonyms=("устойчивые", "устойчивая школа", "резильентные школы",
              "результаты выше ожидаемых при таком контексте", "результат с поправкой на контекст"),
    colour="#1a9850", tint="#e1f2e6", anchor=_METHOD + "resilient",
    module="opora.engine.context", rules="context")
LEADER = FlagTerm(
    code="leader", name_ru="Лидер", plural_ru="Лидеры", full_name_ru="Школа-лидер",
    synonyms=("школы-лидеры", "сильные школы", "лидеры"),
    colour="#2166ac", tint="#dde9f5", anchor=_METHOD + "leader",
    module="opora.engine.context", rules="context")
NON_OBJECTIVE = FlagTerm(
    code="non_objective", name_ru="Признаки необъективности",
    plural_ru="Признаки необъективности",
    full_name_ru="Школа с признаками необъективности результатов",
    synonyms=("необъективные результаты", "необъективность", "завышенные результаты",
              "недостоверные результаты"),
    colour="#5c5c5c", tint="#e6e6e6", anchor=_METHOD + "non-objective",
    module="opora.engine.objectivity", rules="objectivity")
POSITIVE_DYNAMICS = FlagTerm(
    code="positive_dynamics", name_ru="Положительная динамика",
    plural_ru="Положительная динамика", full_name_ru="Результаты относительно региона улучшаются",
    synonyms=("рост результатов", "улучшение результатов", "динамика"),
    colour="#1a9850", tint="#e1f2e6", anchor=_METHOD + "dynamics",
    module="opora.engine.dynamics", rules="dynamics")
NEGATIVE_DYNAMICS = FlagTerm(
    code="negative_dynamics", name_ru="Отрицательная динамика",
    plural_ru="Отрицательная динамика", full_name_ru="Результаты относительно региона ухудшаются",
    synonyms=("снижение результатов", "ухудшение результатов", "динамика"),
    colour="#c9a100", tint="#fff4d6", anchor=_METHOD + "dynamics",
    module="opora.engine.dynamics", rules="dynamics")

#: Every flag, in display order.
FLAGS: tuple[FlagTerm, ...] = (
    LOW_RESULTS, FAILING_SHARE, PERSISTENTLY_LOW, RISK_ZONE, ADVERSE_CONTEXT, RESILIENT, LEADER, NON_OBJECTIVE,
    POSITIVE_DYNAMICS, NEGATIVE_DYNAMICS,
)
FLAG_BY_CODE: dict[str, FlagTerm] = {f.code: f for f in FLAGS}
FLAG_ORDER: tuple[str, ...] = tuple(FLAG_BY_CODE)
#: The flags that put a school on a list as ШНОР: either identification rule (below the region,
#: the share of «2»), and persistently low (which implies the first). Lists, counts and charts
#: call a school with any of them ШНОР (docs/methodology.md, «Согласованность отметок»).
LOW_RESULTS_FLAGS: frozenset[str] = frozenset(
    {LOW_RESULTS.code, FAILING_SHARE.code, PERSISTENTLY_LOW.code})

LOW_AND_ADVERSE = Grouping(
    code="both", name_ru="ШНОР и ШНСУ", plural_ru="ШНОР и ШНСУ",
    full_name_ru="Низкие результаты в неблагоприятных социальных условиях",
    synonyms=("ШНОР в неблагоприятных условиях",), colour="#b2182b",
    anchor=_METHOD + "adverse-context", members=(LOW_RESULTS.code, ADVERSE_CONTEXT.code))
NO_FLAGS = Grouping(code="none", name_ru="Без отметок", plural_ru="Без отметок",
                    colour="#b8b8b8", members=())
GROUPINGS: tuple[Grouping, ...] = (LOW_AND_ADVERSE, NO_FLAGS)


def flag_label(code: str) -> str:
    """The Russian name of a flag; an unknown code is shown as it is rather than hidden."""
    found = FLAG_BY_CODE.get(code)
    return found.name_ru if found else code


def flag_rank(code: str) -> int:
    """The flag's place in display order; unknown codes after every known one."""
    return FLAG_ORDER.index(code) if code in FLAG_BY_CODE else len(FLAG_ORDER)


# --- Signs of non-objective results ------------------------------------------------------------

_SIGNS_MODULE = "opora.engine.objectivity"
SIGN_TERM = SignTerm(
    code="term", name_ru="Отметки ВПР выше четвертных", plural_ru="Отметки ВПР выше четвертных",
    heading_ru="ВПР выше четвертной", value_column="term_above_pct", unit="%",
    meaning_ru=("доля участников, у которых отметка за ВПР выше четвертной; срабатывает, когда "
                "она заметно выше такой же доли по региону"),
    synonyms=("доля отметок ВПР выше четвертных", "завышение отметок", "расхождение с четвертными"),
    anchor=_METHOD + "sign-term", module=_SIGNS_MODULE)
SIGN_BOUNDARY = SignTerm(
    code="boundary", name_ru="Пики баллов у границ отметок",
    plural_ru="Пики баллов у границ отметок", heading_ru="Пик над границей",
    value_column="boundary_z", unit="z",
    meaning_ru=("насколько больше учеников набрали балл ровно на границе отметки, чем ожидалось "
                "по региону, в стандартных ошибках (z): около 0 — как в регионе, срабатывает при "
                "большом положительном значении"),
    synonyms=("пики распределения первичных баллов", "дотягивание баллов до отметки"),
    anchor=_METHOD + "sign-boundary", module=_SIGNS_MODULE)
SIGN_INVERSION = SignTerm(
    code="inversion", name_ru="Трудные задания выполнены лучше лёгких (относительно региона)",
    plural_ru="Трудные задания выполнены лучше лёгких (относительно региона)",
    heading_ru="Инверсия заданий",
    value_column="inversion_corr", unit="r",
    meaning_ru=("корреляция (r, от −1 до +1) превышения школы над регионом с лёгкостью заданий: "
                "около 0 и выше — обычно; близко к −1 — трудные задания выполнены лучше лёгких"),
    synonyms=("инверсия трудности", "лёгкие задания выполнены хуже трудных"),
    anchor=_METHOD + "sign-inversion", module=_SIGNS_MODULE)
SIGN_COHORT = SignTerm(
    code="cohort", name_ru="Падение когорты от 4 к 5 классу",
    plural_ru="Падение когорты от 4 к 5 классу", heading_ru="Падение когорты",
    value_column="cohort_change_pct", unit="п. п.",
    meaning_ru=("как изменилась разница с регионом у того же класса от 4 класса к 5-му, в "
                "процентных пунктах; большое падение — повод проверить отметки 4 класса"),
    synonyms=("падение результатов класса от 4 к 5 классу", "обвал в 5 классе"),
    anchor=_METHOD + "sign-cohort", module=_SIGNS_MODULE)
SIGN_UNCONFIRMED = SignTerm(
    code="unconfirmed", name_ru="Высокие результаты ВПР не подтверждаются ОГЭ/ЕГЭ",
    plural_ru="Высокие результаты ВПР не подтверждаются ОГЭ/ЕГЭ",
    heading_ru="Не подтверждён ОГЭ/ЕГЭ", value_column="vpr_gap_pct", unit="п. п.",
    meaning_ru=("разница школы с регионом по ВПР, в процентных пунктах; в скобках — та же разница "
                "по ОГЭ/ЕГЭ того же предмета и года: ВПР намного выше региона, а экзамен нет"),
    synonyms=("ВПР не подтверждаются экзаменами",),
    anchor=_METHOD + "sign-unconfirmed", module=_SIGNS_MODULE)
SIGN_MARKER = SignTerm(
    code="marker", name_ru="Федеральный маркер необъективности",
    plural_ru="Федеральные маркеры необъективности", heading_ru="Федеральный маркер",
    value_column="marker", unit="",
    meaning_ru="маркер из федерального списка («4 РУ» — 4 класс, русский язык)",
    synonyms=("маркеры Рособрнадзора", "список необъективных школ", "«4 РУ», «5 МА»"),
    anchor=_METHOD + "sign-marker", module=_SIGNS_MODULE)

#: Every sign, in display order (the engine's numbering 1–6).
SIGNS: tuple[SignTerm, ...] = (
    SIGN_TERM, SIGN_BOUNDARY, SIGN_INVERSION, SIGN_COHORT, SIGN_UNCONFIRMED, SIGN_MARKER,
)
SIGN_BY_CODE: dict[str, SignTerm] = {s.code: s for s in SIGNS}


def sign_name(code: str) -> str:
    """The Russian name of an objectivity sign; an unknown code is shown as it is."""
    found = SIGN_BY_CODE.get(code)
    return found.name_ru if found else code


# --- Roles -------------------------------------------------------------------------------------

_ROLES_DOC = "user-guide.md#роли-кто-что-видит"
_ROLES_MODULE = "opora.web.accounts.models"
ROLES: tuple[RoleTerm, ...] = (
    RoleTerm(code="coordinator", name_ru="Муниципальный координатор",
             plural_ru="Муниципальные координаторы", scope="municipality",
             synonyms=("координатор", "специалист управления образования", "УО"),
             anchor=_ROLES_DOC, module=_ROLES_MODULE),
    RoleTerm(code="school_admin", name_ru="Руководитель школы", plural_ru="Руководители школ",
             scope="school", synonyms=("директор", "заместитель директора по УВР", "зам. по УВР",
                                       "администрация школы"),
             anchor=_ROLES_DOC, module=_ROLES_MODULE),
    RoleTerm(code="curator", name_ru="Куратор", plural_ru="Кураторы", scope="school",
             synonyms=("куратор ШНОР", "наставник школы"), anchor=_ROLES_DOC,
             module=_ROLES_MODULE),
    RoleTerm(code="methodist", name_ru="Методист", plural_ru="Методисты", scope="municipality",
             synonyms=("ЦДО", "ИМЦ", "методическая служба"), anchor=_ROLES_DOC,
             module=_ROLES_MODULE),
    RoleTerm(code="regional", name_ru="Региональный координатор",
             plural_ru="Региональные координаторы", scope="region",
             synonyms=("ИРО", "ЦОКО", "регион"), anchor=_ROLES_DOC, module=_ROLES_MODULE),
)
ROLE_BY_CODE: dict[str, RoleTerm] = {r.code: r for r in ROLES}


def role_name(code: str) -> str:
    """The Russian name of a role; an unknown code is shown as it is."""
    found = ROLE_BY_CODE.get(code)
    return found.name_ru if found else code


# --- The context passport ----------------------------------------------------------------------

_PASSPORT = "opora.engine.context"
_OF_STUDENTS = ", в процентах от числа обучающихся"
_INDEX = _METHOD + "context-index"


def _share(code: str, name: str, explanation: str, sign: int,
           synonyms: tuple[str, ...] = ()) -> ContextColumn:
    return ContextColumn(code=code, name_ru=name, plural_ru=name, unit="%", kind="share",
                         index_sign=sign, explanation=explanation + _OF_STUDENTS, synonyms=synonyms,
                         anchor=_INDEX, module=_PASSPORT)


def _count(code: str, name: str, unit: str, explanation: str,
           synonyms: tuple[str, ...] = ()) -> ContextColumn:
    return ContextColumn(code=code, name_ru=name, plural_ru=name, unit=unit, kind="count",
                         index_sign=0, explanation=explanation, synonyms=synonyms,
                         module=_PASSPORT)


#: The passport's values in form and template order (``school_key``, ``year``, ``source`` are
#: the table's keys and provenance, not passport values).
CONTEXT_COLUMNS: tuple[ContextColumn, ...] = (
    _count("students", "Обучающихся", "чел.", "Численность обучающихся",
           ("численность обучающихся", "контингент")),
    _share("share_parents_higher_ed", "Оба родителя с высшим образованием",
           "Доля обучающихся, у которых оба родителя с высшим образованием", -1,
           ("образование родителей",)),
    _share("share_single_parent", "Неполные семьи", "Доля обучающихся из неполных семей", 1),
    _share("share_low_income", "Малоимущие семьи", "Доля обучающихся из малоимущих семей", 1,
           ("малообеспеченные семьи",)),
    _share("share_large_families", "Многодетные семьи", "Доля обучающихся из многодетных семей",
           1),
    _share("share_unemployed_parents", "Безработные родители",
           "Доля обучающихся, у которых оба (единственный) родителя безработные", 1),
    _share("share_non_native_russian", "Русский язык не родной",
           "Доля обучающихся, для которых русский язык не родной", 1,
           ("неродной русский язык", "дети мигрантов", "языковой барьер")),
    _share("share_ovz", "Обучающиеся с ОВЗ", "Доля обучающихся с ОВЗ", 1,
           ("ОВЗ", "ограниченные возможности здоровья")),
    _share("share_preventive_register", "На профилактических учётах",
           "Доля обучающихся на учётах ПДН, ВШУ, КДН", 1, ("ПДН", "ВШУ", "КДН")),
    _count("teachers", "Педагогических работников", "чел.", "Численность педагогов",
           ("педагоги", "учителя")),
    _count("teacher_vacancies", "Вакансий педагогов", "ед.", "Число вакансий педагогов",
           ("дефицит кадров", "вакансии")),
    ContextColumn(code="share_teachers_retirement_age", name_ru="Педагоги пенсионного возраста",
                  plural_ru="Педагоги пенсионного возраста", unit="%", kind="share",
                  index_sign=1, anchor=_INDEX, module=_PASSPORT,
                  explanation="Доля педагогов пенсионного возраста, в процентах от числа педагогов"),
    ContextColumn(code="remoteness_km", name_ru="Удалённость от районного центра",
                  plural_ru="Удалённость от районного центра", unit="км", kind="number",
                  index_sign=1, anchor=_INDEX, module=_PASSPORT, synonyms=("удалённость",),
                  explanation="Расстояние до районного (областного) центра"),
)
CONTEXT_COLUMN_BY_CODE: dict[str, ContextColumn] = {c.code: c for c in CONTEXT_COLUMNS}
#: Columns the social-context index may use (``[context.components]`` of the rules).
INDEX_COMPONENTS: tuple[str, ...] = tuple(c.code for c in CONTEXT_COLUMNS if c.index_sign)


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


# --- Later kinds: the support, programme and monitoring apps fill these in -----------------------

_SUPPORT_MODULE = "opora.web.support.models.events"
_SUPPORT_DOC = "user-guide.md#сопровождение-школ-кураторы-пары-мероприятия"
_ASSIGNMENTS_MODULE = "opora.web.support.models.assignments"
_SUPPORT_SERVICES = "opora.web.support.services.events"
#: Kinds of support events named by the seeds (000, 001: «выезды (мониторинговые визиты,
#: методические «десанты», встречи-консультации, «круглые столы», коучинги, форсайт-сессии,
#: мировое кафе …)»; 002: «консультаций, семинаров, мастер-классов, открытых уроков», «стажёрские
#: площадки»), in display order; «другое» is recorded with its own name.
EVENT_KINDS: tuple[EventKind, ...] = tuple(
    EventKind(code=code, name_ru=name, plural_ru=plural, synonyms=synonyms, visit=visit,
              named=code == "other", module=_SUPPORT_MODULE, anchor=_SUPPORT_DOC)
    for code, name, plural, visit, synonyms in (
        ("monitoring_visit", "Мониторинговый визит", "Мониторинговые визиты", True,
         ("визит", "выезд в школу")),
        ("methodical_landing", "Методический десант", "Методические десанты", True,
         ("десант", "методический «десант»")),
        ("consultation", "Консультация", "Консультации", True,
         ("встреча-консультация", "адресная консультация")),
        ("round_table", "Круглый стол", "Круглые столы", False, ("«круглый стол»",)),
        ("seminar", "Семинар", "Семинары", False, ("семинар-практикум", "обучающий семинар")),
        ("webinar", "Вебинар", "Вебинары", False, ("web-семинар", "онлайн-семинар")),
        ("coaching", "Коучинг", "Коучинг", True, ("коуч-сессия",)),
        ("foresight_session", "Форсайт-сессия", "Форсайт-сессии", False, ("форсайт",)),
        ("world_cafe", "Мировое кафе", "Мировое кафе", False, ()),
        ("master_class", "Мастер-класс", "Мастер-классы", False, ()),
        ("open_lesson", "Открытый урок", "Открытые уроки", False, ("открытое занятие",)),
        ("internship_site", "Стажёрская площадка", "Стажёрские площадки", False,
         ("стажировочная площадка", "стажировка")),
        ("other", "Другое", "Другие мероприятия", False, ("иное",)),
    )
)
EVENT_KIND_BY_CODE: dict[str, EventKind] = {k.code: k for k in EVENT_KINDS}
#: Where an event stands; seed 000: «часть мероприятий прошли в дистанционном режиме, а часть
#: перенесены … из-за эпидемиологической ситуации».
EVENT_STATUSES: tuple[EventStatus, ...] = (
    EventStatus(code="planned", name_ru="Запланировано", plural_ru="Запланированные",
                module=_SUPPORT_MODULE),
    EventStatus(code="held", name_ru="Проведено", plural_ru="Проведённые", held=True,
                module=_SUPPORT_MODULE),
    EventStatus(code="held_remote", name_ru="Проведено дистанционно",
                plural_ru="Проведённые дистанционно", held=True,
                synonyms=("дистанционно", "онлайн"), module=_SUPPORT_MODULE),
    EventStatus(code="postponed", name_ru="Перенесено", plural_ru="Перенесённые",
                needs_reason=True, module=_SUPPORT_MODULE),
    EventStatus(code="cancelled", name_ru="Отменено", plural_ru="Отменённые", needs_reason=True,
                module=_SUPPORT_MODULE),
)
EVENT_STATUS_BY_CODE: dict[str, EventStatus] = {s.code: s for s in EVENT_STATUSES}
HELD_STATUSES: tuple[str, ...] = tuple(s.code for s in EVENT_STATUSES if s.held)


def _support(kind: str, code: str, name: str, plural: str = "", *,
             synonyms: tuple[str, ...] = (), full_name_ru: str = "",
             module: str = _SUPPORT_MODULE) -> SupportTerm:
    return SupportTerm(code=code, name_ru=name, plural_ru=plural or name, kind=kind,
                       synonyms=synonyms, full_name_ru=full_name_ru, module=module)


#: Who organises a support event (DOMAIN.md, roles; seed 001: «кураторы», «методисты ЦДО»,
#: «муниципальные координаторы», «школы-лидеры»).
ORGANISER_KINDS: tuple[SupportTerm, ...] = (
    _support("organiser", "curator", "Куратор", "Кураторы"),
    _support("organiser", "methodist", "Методист", "Методисты", synonyms=("ЦДО", "ИМЦ")),
    _support("organiser", "coordinator", "Координатор", "Координаторы",
             synonyms=("Управление образования", "УО")),
    _support("organiser", "leader_school", "Школа-лидер", "Школы-лидеры",
             synonyms=("стажёрская площадка", "базовая школа")),
)
#: Network communities (seed 001: «сетевые сообщества», «заседания ГМО»; seed 002: «профессиональные
#: сообщества (проблемные группы)»; seed 000: «управленческие команды»).
COMMUNITY_KINDS: tuple[SupportTerm, ...] = (
    _support("community", "subject_community", "Предметное сообщество", "Предметные сообщества",
             synonyms=("сетевое сообщество учителей",), module=_ASSIGNMENTS_MODULE),
    _support("community", "gmo", "ГМО", "ГМО", full_name_ru="городское методическое объединение",
             synonyms=("методическое объединение", "РМО"), module=_ASSIGNMENTS_MODULE),
    _support("community", "management_team", "Управленческая команда", "Управленческие команды",
             synonyms=("команда школы",), module=_ASSIGNMENTS_MODULE),
    _support("community", "problem_group", "Проблемная группа", "Проблемные группы",
             synonyms=("творческая группа",), module=_ASSIGNMENTS_MODULE),
)
#: The ten risk factors of the 500+ profile (ФИОКО, 2021–2022; DOMAIN.md, «The 500+ risk
#: profile»): an event names the factors it addresses.
RISK_FACTORS: tuple[SupportTerm, ...] = tuple(
    _support("risk", code, name, module=_SUPPORT_SERVICES) for code, name in (
        ("low_equipment", "Низкий уровень оснащения школы"),
        ("teacher_shortage", "Дефицит педагогических кадров"),
        ("low_teacher_competence", "Недостаточная предметная и методическая компетентность "
                                   "педагогов"),
        ("low_adaptivity", "Низкая адаптивность обучения"),
        ("no_professional_development", "Отсутствие внутришкольной системы профессионального "
                                        "развития педагогов"),
        ("language_barriers", "Низкое качество преодоления языковых и культурных барьеров"),
        ("academic_failure_risk", "Высокая доля обучающихся с рисками учебной неуспешности"),
        ("low_motivation", "Низкая учебная мотивация обучающихся"),
        ("weak_environment", "Пониженный уровень качества школьной образовательной и "
                             "воспитательной среды"),
        ("low_parental_involvement", "Низкий уровень вовлечённости родителей"),
    )
)


def support_name(terms: tuple[Term, ...], code: str) -> str:
    """The Russian name of an event kind, status, organiser, community kind or risk factor; an
    unknown code as it is."""
    return next((t.name_ru for t in terms if t.code == code), code)


DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(code="development_concept", name_ru="Концепция развития",
                 plural_ru="Концепции развития"),
    DocumentKind(code="midterm_programme", name_ru="Среднесрочная программа развития",
                 plural_ru="Среднесрочные программы развития"),
    DocumentKind(code="antirisk_programme", name_ru="Антирисковая программа",
                 plural_ru="Антирисковые программы", synonyms=("антирисковая программа 500+",)),
    DocumentKind(code="development_programme", name_ru="Программа развития школы",
                 plural_ru="Программы развития школ", synonyms=("программа развития",)),
    DocumentKind(code="gia_plan", name_ru="План подготовки к ГИА",
                 plural_ru="Планы подготовки к ГИА",
                 synonyms=("дорожная карта подготовки к ГИА", "план подготовки к ОГЭ и ЕГЭ")),
    DocumentKind(code="objectivity_plan", name_ru="План повышения объективности оценивания",
                 plural_ru="Планы повышения объективности оценивания",
                 synonyms=("план по объективности", "план обеспечения объективности")),
    DocumentKind(code="other_document", name_ru="Другой документ", plural_ru="Другие документы"),
)
INDICATORS: tuple[Indicator, ...] = (
    Indicator(code="share_low_results_with_positive_dynamics",
              name_ru="Доля ШНОР с положительной динамикой результатов",
              plural_ru="Доля ШНОР с положительной динамикой результатов", unit="%",
              synonyms=("ШНОР с положительной динамикой",), anchor=_METHOD + "dynamics",
              module="opora.engine.dynamics"),
    Indicator(code="share_teachers_diagnosed",
              name_ru="Доля педагогов, прошедших диагностику профессиональных дефицитов",
              plural_ru="Доля педагогов, прошедших диагностику профессиональных дефицитов",
              unit="%", level="school", synonyms=("педагоги, прошедшие диагностику",),
              anchor=_METHOD + "competence-dynamics", module="opora.web.staff.dynamics"),
    Indicator(code="share_teachers_competence_growth",
              name_ru="Доля педагогов с положительной динамикой компетенций",
              plural_ru="Доля педагогов с положительной динамикой компетенций",
              unit="%", level="school",
              synonyms=("положительная динамика профессиональных компетенций",
                        "педагоги с положительной динамикой"),
              anchor=_METHOD + "competence-dynamics", module="opora.web.staff.dynamics"),
    *(Indicator(code=code, name_ru=name, plural_ru=name, unit=unit, level=level,
                synonyms=synonyms, anchor=_METHOD + "monitoring-indicators",
                module="opora.web.monitoring.formulas")
      for code, name, unit, level, synonyms in (
          ("school_teachers_positive_results", "Доля учителей, ежегодно показывающих "
           "положительную динамику образовательных результатов обучающихся", "%", "school",
           ("учителя с положительной динамикой результатов",)),
          ("school_teachers_covered_pct", "Доля педагогов, охваченных методическим "
           "сопровождением", "%", "school", ("охват методическим сопровождением",)),
          ("school_teachers_covered", "Количество педагогов, охваченных методической работой",
           "чел.", "school", ("учителя, охваченные методической работой",)),
          ("school_teachers_network", "Количество педагогов в сетевом взаимодействии с "
           "педагогами школ-лидеров", "чел.", "school", ("сетевое взаимодействие педагогов",)),
          ("school_teachers_help_in_school", "Количество педагогов, получивших адресную "
           "методическую помощь в школе", "чел.", "school", ()),
          ("school_teachers_help_methodists", "Количество педагогов, получивших адресную "
           "методическую помощь методистов", "чел.", "school", ()),
          ("school_teachers_codeveloping", "Количество педагогов, разрабатывающих программы "
           "совместно с наставниками", "чел.", "school", ()),
          ("school_teachers_running_seminars", "Количество педагогов, проводивших консультации "
           "и семинары по дорожной карте", "чел.", "school", ()),
          ("school_network_partnership", "Наличие сетевого взаимодействия со школой-лидером",
           "да/нет", "school", ("сетевое партнёрство", "горизонтальное партнёрство")),
          ("school_measures_done", "Доля выполненных мероприятий дорожной карты", "%", "school",
           ()),
          ("school_psych_support_pct", "Доля педагогов, охваченных психолого-педагогическим "
           "сопровождением", "%", "school", ("ЦППМСП",)),
          ("low_teachers_diagnosed", "Доля педагогов ШНОР, прошедших диагностику "
           "профессиональных дефицитов", "%", "municipality", ()),
          ("low_teachers_competence_growth", "Доля педагогов ШНОР с положительной динамикой "
           "профессиональных компетенций", "%", "municipality", ()),
          ("low_teachers_covered", "Доля педагогов ШНОР, охваченных методическим "
           "сопровождением", "%", "municipality", ()),
          ("low_schools_covered", "Количество ШНОР, охваченных методической работой", "ед.",
           "municipality", ()),
          ("low_schools_in_network", "Количество ШНОР в сетевом взаимодействии со "
           "школами-лидерами", "ед.", "municipality", ()),
          ("low_schools_curator_help", "Количество ШНОР, получивших адресную помощь кураторов",
           "ед.", "municipality", ()),
          ("low_schools_methodist_help", "Количество ШНОР, получивших адресную помощь "
           "координаторов и методистов", "ед.", "municipality", ()),
          ("low_schools_gatherings", "Количество ШНОР, участвовавших в круглых столах и "
           "семинарах", "ед.", "municipality", ()),
          ("schools_codeveloping", "Количество школ, совместно разрабатывающих и реализующих "
           "программы", "ед.", "municipality", ()),
          ("low_results_vpr", "Доля результатов «2» по ВПР в ШНОР", "%", "municipality",
           ("динамика низких результатов ВПР",)),
          ("low_results_oge", "Доля результатов ниже порога по ОГЭ в ШНОР", "%",
           "municipality", ("динамика низких результатов ОГЭ",)),
          ("low_results_ege", "Доля результатов ниже порога по ЕГЭ в ШНОР", "%",
           "municipality", ("динамика низких результатов ЕГЭ",)),
          ("low_results_gve", "Доля результатов «2» по ГВЭ в ШНОР", "%", "municipality",
           ("динамика низких результатов ГВЭ",)),
      )),
)


# --- Staff and teacher development (opora.web.staff) -------------------------------------------

_STAFF_MODULE = "opora.web.staff.models"


def _staff(kind: str, code: str, name: str, plural: str = "", *,
           synonyms: tuple[str, ...] = (), full_name_ru: str = "") -> StaffTerm:
    return StaffTerm(code=code, name_ru=name, plural_ru=plural or name, kind=kind,
                     synonyms=synonyms, full_name_ru=full_name_ru, module=_STAFF_MODULE)


#: Positions of a school's pedagogical and leading staff (номенклатура должностей педагогических
#: работников, постановление Правительства РФ от 21.02.2022 № 225), in display order.
POSITIONS: tuple[StaffTerm, ...] = (
    _staff("position", "teacher", "Учитель", "Учителя", synonyms=("педагог", "учитель-предметник")),
    _staff("position", "director", "Руководитель", "Руководители",
           synonyms=("директор", "заведующий")),
    _staff("position", "deputy_academic", "Заместитель руководителя по УВР",
           "Заместители руководителя по УВР",
           full_name_ru="заместитель руководителя по учебно-воспитательной работе",
           synonyms=("зам. по УВР", "завуч", "заместитель директора по УВР")),
    _staff("position", "deputy_upbringing", "Заместитель руководителя по ВР",
           "Заместители руководителя по ВР",
           full_name_ru="заместитель руководителя по воспитательной работе",
           synonyms=("зам. по ВР", "заместитель директора по ВР")),
    _staff("position", "advisor_upbringing", "Советник директора по воспитанию",
           "Советники директора по воспитанию", synonyms=("советник по воспитанию",)),
    _staff("position", "psychologist", "Педагог-психолог", "Педагоги-психологи",
           synonyms=("психолог",)),
    _staff("position", "social_pedagogue", "Социальный педагог", "Социальные педагоги",
           synonyms=("соцпедагог",)),
    _staff("position", "speech_therapist", "Учитель-логопед", "Учителя-логопеды",
           synonyms=("логопед",)),
    _staff("position", "defectologist", "Учитель-дефектолог", "Учителя-дефектологи",
           synonyms=("дефектолог",)),
    _staff("position", "tutor", "Тьютор", "Тьюторы"),
    _staff("position", "additional_education", "Педагог дополнительного образования",
           "Педагоги дополнительного образования", synonyms=("ПДО",)),
    _staff("position", "organiser", "Педагог-организатор", "Педагоги-организаторы"),
    _staff("position", "librarian", "Педагог-библиотекарь", "Педагоги-библиотекари"),
    _staff("position", "other_position", "Иная педагогическая должность",
           "Иные педагогические должности"),
)
#: Qualification categories: the two of attestation and, since 1 September 2023, the two
#: categories above them (приказ Минпросвещения России от 24.03.2023 № 196).
QUALIFICATION_CATEGORIES: tuple[StaffTerm, ...] = (
    _staff("category", "no_category", "Без категории"),
    _staff("category", "conformity", "Соответствие занимаемой должности",
           synonyms=("СЗД", "соответствие")),
    _staff("category", "first", "Первая квалификационная категория",
           synonyms=("первая", "первая категория", "1 категория")),
    _staff("category", "highest", "Высшая квалификационная категория",
           synonyms=("высшая", "высшая категория")),
    _staff("category", "pedagogue_methodist", "Педагог-методист"),
    _staff("category", "pedagogue_mentor", "Педагог-наставник"),
)
#: Subjects a teacher teaches that the assessment catalogue (``opora.catalog.SUBJECTS``) has
#: not: the staff records take the catalogue's subjects and these.
TEACHING_SUBJECTS: tuple[StaffTerm, ...] = (
    _staff("subject", "primary_school", "Начальные классы", synonyms=("начальная школа",)),
    _staff("subject", "native_language", "Родной язык и литература", synonyms=("родной язык",)),
    _staff("subject", "physical_education", "Физическая культура",
           synonyms=("физкультура", "физ-ра")),
    _staff("subject", "music", "Музыка"),
    _staff("subject", "fine_art", "Изобразительное искусство", synonyms=("ИЗО",)),
    _staff("subject", "technology", "Труд (технология)", synonyms=("технология", "труд")),
    _staff("subject", "safety", "Основы безопасности и защиты Родины",
           synonyms=("ОБЗР", "ОБЖ")),
    _staff("subject", "ethics_culture", "ОРКСЭ / ОДНКНР",
           full_name_ru="основы религиозных культур и светской этики, основы духовно-нравственной "
                        "культуры народов России"),
)
#: Who assessed a teacher's professional deficits. The dynamics compares two diagnostics of the
#: same instrument only (methodology.md#competence-dynamics).
DIAGNOSTIC_INSTRUMENTS: tuple[StaffTerm, ...] = (
    _staff("instrument", "regional", "Региональная диагностика",
           synonyms=("диагностика ЦНППМ", "диагностика ИРО",
                     "диагностика профессиональных дефицитов")),
    _staff("instrument", "self", "Самооценка", synonyms=("самодиагностика",)),
    _staff("instrument", "peer", "Взаимооценка", synonyms=("оценка коллег", "экспертная оценка")),
    _staff("instrument", "administration", "Оценка администрации",
           synonyms=("оценка руководителя", "посещение уроков администрацией")),
)
#: Domains of professional deficits a diagnostic scores.
DEFICIT_DOMAINS: tuple[StaffTerm, ...] = (
    _staff("domain", "subject_domain", "Предметные компетенции", synonyms=("предметные",)),
    _staff("domain", "methodical", "Методические компетенции", synonyms=("методические",)),
    _staff("domain", "psychological", "Психолого-педагогические компетенции",
           synonyms=("психолого-педагогические",)),
    _staff("domain", "communicative", "Коммуникативные компетенции",
           synonyms=("коммуникативные",)),
    _staff("domain", "digital", "Цифровые компетенции", synonyms=("цифровые", "ИКТ-компетенции")),
    _staff("domain", "assessment_literacy", "Оценочные компетенции",
           synonyms=("оценочные", "оценочная деятельность")),
    _staff("domain", "functional_literacy", "Формирование функциональной грамотности",
           synonyms=("функциональная грамотность",)),
    _staff("domain", "managerial", "Управленческие компетенции",
           synonyms=("управленческие",)),
)
#: Levels a diagnostic may give a domain instead of a score, lowest first; the dynamics reads
#: a level as points 0…3 of 3 (methodology.md#competence-dynamics).
DIAGNOSTIC_LEVELS: tuple[StaffTerm, ...] = (
    _staff("level", "insufficient", "Недостаточный", synonyms=("дефицит выражен", "низкий")),
    _staff("level", "basic", "Базовый", synonyms=("средний",)),
    _staff("level", "advanced", "Повышенный"),
    _staff("level", "high", "Высокий", synonyms=("дефицита нет",)),
)
#: What a step of an individual development route (ИОМ) is.
ROUTE_STEP_KINDS: tuple[StaffTerm, ...] = (
    _staff("step", "course", "Курс повышения квалификации", "Курсы повышения квалификации",
           synonyms=("КПК",)),
    _staff("step", "mentoring", "Наставничество", synonyms=("работа с наставником",)),
    _staff("step", "event", "Мероприятие", "Мероприятия",
           synonyms=("семинар", "мастер-класс", "открытый урок")),
)
#: Where a step of a route stands.
ROUTE_STEP_STATUSES: tuple[StaffTerm, ...] = (
    _staff("status", "planned", "Запланировано"),
    _staff("status", "in_progress", "Выполняется"),
    _staff("status", "done", "Выполнено"),
    _staff("status", "cancelled", "Отменено"),
)


#: A teacher's competence dynamics between two diagnostics of one instrument
#: (``opora.web.staff.dynamics``; the rule and its threshold: methodology.md#competence-dynamics).
COMPETENCE_DYNAMICS: tuple[StaffTerm, ...] = tuple(
    StaffTerm(code=code, name_ru=name, plural_ru=name, kind="dynamics",
              anchor=_METHOD + "competence-dynamics", module="opora.web.staff.dynamics")
    for code, name in (("positive_competence", "Рост компетенций"),
                       ("stable_competence", "Без существенных изменений"),
                       ("negative_competence", "Снижение компетенций"))
)


def staff_name(terms: tuple[StaffTerm, ...], code: str) -> str:
    """The Russian name of a position, category, instrument, domain…; an unknown code as it is."""
    return next((t.name_ru for t in terms if t.code == code), code)


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
