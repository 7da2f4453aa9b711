"""Staff and teacher development (opora.web.staff): positions, categories, subjects,
diagnostics, deficits, levels and the steps of individual routes."""

from __future__ import annotations

from opora.glossary.terms import _METHOD, StaffTerm

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
