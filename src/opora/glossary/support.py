"""Support work (opora.web.support): event kinds and statuses, organisers, communities, risk
factors, document kinds and the indicators."""

from __future__ import annotations

from opora.glossary.terms import (
    _METHOD,
    DocumentKind,
    EventKind,
    EventStatus,
    Indicator,
    SupportTerm,
    Term,
)

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
