"""Flags of schools, their groupings, the signs of non-objective results, roles and the
context passport's columns (DOMAIN.md glossary; docs/methodology.md)."""

from __future__ import annotations

from opora.glossary.terms import _METHOD, ContextColumn, FlagTerm, Grouping, RoleTerm, SignTerm

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
