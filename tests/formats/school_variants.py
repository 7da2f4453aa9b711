"""Generate a region's schools in two years, renamed the ways real tables rename them, with truth.

A real two-year table (issue 11, point 4) renamed 5 of its 36 municipal education bodies between
the years — «Отдел образования …» → «Комитет образования …»; «… муниципального района "X район"»
→ «… X муниципального округа»; three only in letter case — and its schools gained or lost the
district and region appended to their names, stray characters («<…>», a leading «– »), typos
(«общеебразовательная») and «№20» / «№ 20»; here also a letter dropped from a proper name
(«им. А.С. Пукина»), rarely in a settlement's («с. Камшовка»), and, rarely, a settlement left
out of a name. This module builds such a region from a seed: every
school has an identity (``School.ident``) that stays the same across the years whatever its name
does, so a test can count how many schools present in both years were matched, and whether any
two different schools were merged. Hard cases are built in on purpose: two schools of one
settlement differing only by number, «СОШ № 15» and «ООШ № 15» of one town, a city and a district
of the same name («город Биробиджан» / «Биробиджанский район»), schools closed and opened.

The workbook is written with :mod:`ege_variants` (one sheet a year, the
municipality on every row, no subtotals), so the reader sees exactly what a published table holds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from ege_variants import Municipality, School, Variant, write_workbook

from opora.formats.school_matching import name_key

RUS = "Русский язык, чел."
REGION_GENITIVE = "Н-ского края"
_PLACES = (
    "Облучен", "Смидович", "Ленин", "Октябрь", "Хабаров", "Кульдур", "Тунгус", "Амур",
    "Бурей", "Хинган", "Бикин", "Ванин", "Нанай", "Солнечн", "Аян", "Охот", "Тугур", "Чумикан",
    "Ульчин", "Лазов", "Селемдж", "Мазанов", "Тамбов", "Иванов", "Михайлов", "Завитин", "Ромнен",
    "Серышев", "Шиманов", "Сковородин", "Тындин", "Магдагачин", "Свободнен", "Константинов",
)
_SETTLEMENTS = ("Николаевка", "Волочаевка", "Лазарево", "Бирофельд", "Дубовое", "Камышовка",
                "Аур", "Приамурский", "Кульдур", "Бира", "Теплоозерск", "Пашково", "Радде",
                "Известковый", "Смидович", "Ленинское", "Унгун", "Валдгейм", "Надеждинское",
                "Птичник", "Желтый Яр", "Двуречье", "Октябрьское", "Амурзет", "Союзное")
_PEOPLE = ("Героя Советского Союза И.И. Иванова", "А.С. Пушкина", "В.И. Пеллера",
           "И.А. Пришкольника", "Н.А. Островского")
_FORMS = ("МБОУ", "МКОУ", "МАОУ")
_FULL_KIND = {"СОШ": "Средняя общеобразовательная школа",
              "ООШ": "Основная общеобразовательная школа"}


@dataclass
class School2:
    """One school's identity and its name in each year (None: it did not exist that year)."""

    ident: int
    names: dict[int, str]


@dataclass
class Body:
    """One municipality: its education body's name in each year, and its schools."""

    names: dict[int, str]
    schools: list[School2] = field(default_factory=list)


@dataclass
class Region2:
    years: tuple[int, int]
    bodies: list[Body]

    def schools_in_both(self) -> list[School2]:
        return [s for b in self.bodies for s in b.schools
                if all(y in s.names for y in self.years)]


def _district_names(place: str, rng: random.Random, renamed: str) -> dict[int, str]:
    adjective, genitive = f"{place}ский", f"{place}ского"
    old = rng.choice([f"Отдел образования администрации {genitive} муниципального района",
                      f"Отдел образования администрации муниципального района «{adjective} "
                      "район»"])
    new = {
        "body": old.replace("Отдел образования", "Комитет образования"),
        "kind": f"Управление образования {genitive} муниципального округа",
        "upper": old.upper(), "lower": old.lower(),
        "title": old[0].lower() + old[1:],
        "": old,
    }[renamed]
    return {0: old, 1: new}


def _school_names(rng: random.Random, place: str, city: bool) -> list[tuple[str, str]]:
    """(name core, level) of a municipality's schools, hard cases included."""
    count = rng.randint(6, 16)
    numbers = rng.sample(range(1, 40), count)
    cores: list[tuple[str, str]] = []
    for i, number in enumerate(numbers):
        level = "ООШ" if i % 5 == 4 else "СОШ"
        where = "" if city else f" {rng.choice(['с.', 'п.', 'с. '])}{rng.choice(_SETTLEMENTS)}"
        person = f" им. {rng.choice(_PEOPLE)}" if rng.random() < 0.15 else ""
        cores.append((f"{level} № {number}{person}{where}", level))
    if city:  # «СОШ № 15» and «ООШ № 15» of one town: two schools
        cores += [("СОШ № 45", "СОШ"), ("ООШ № 45", "ООШ"), ("Гимназия № 1", ""),
                  ("Лицей № 2", "")]
    else:  # two schools of one settlement differing only by number; schools without numbers
        settlement = rng.choice(_SETTLEMENTS)
        cores += [(f"СОШ № 2 п.{settlement}", "СОШ"), (f"СОШ № 7 п.{settlement}", "СОШ"),
                  (f"СОШ с.{rng.choice(_SETTLEMENTS)}{place[:2].lower()}", "СОШ")]
    unique: dict[str, tuple[str, str]] = {}
    for core, level in cores:  # one name once: a table never lists one school twice
        unique.setdefault(core.replace(" ", "").replace(".", "").lower(), (core, level))
    return list(unique.values())


def _spell(core: str, level: str, rng: random.Random) -> str:
    """A spelling of a school's name as some year's table writes it."""
    form = rng.choice(_FORMS)
    if level in _FULL_KIND and rng.random() < 0.4:
        core = core.replace(level, _FULL_KIND[level], 1)
    return f'{form} "{core}"' if rng.random() < 0.7 else f"{form} «{core}»"


def _vary(name: str, place: str, rng: random.Random) -> str:
    """The renamings of issue 11: suffixes, stray characters, a typo, «№20» / «№ 20»."""
    kind = rng.choice(["suffix", "stray", "typo", "number", "form", "person", "place", "none"])
    if rng.random() < 0.005:
        kind = "lost_place"
    person = next((p for p in _PEOPLE if p in name), None)
    if kind == "person" and person is not None:  # a typo in a proper name: one letter dropped
        surname = person.split()[-1]
        return name.replace(surname, surname[:3] + surname[4:], 1)
    if kind == "place" and rng.random() < 0.2:  # rarely, a typo in the settlement's name
        place_name = next((p for p in _SETTLEMENTS if len(p) >= 7 and p in name), None)
        if place_name is not None:
            return name.replace(place_name, place_name[:2] + place_name[3:], 1)
    if kind == "lost_place" and (" с." in name or " п." in name):
        cut = max(name.rfind(" с."), name.rfind(" п."))
        return name[:cut] + name[-1]  # the settlement left out this year
    if kind == "suffix":
        return f"{name[:-1]} {place}ского района {REGION_GENITIVE}{name[-1]}"
    if kind == "stray":
        return rng.choice([f"– {name}", f"<{name}>", f"{name} <…>"])
    if kind == "typo" and "общеобразовательная" in name:
        return name.replace("общеобразовательная", "общеебразовательная")
    if kind == "number":
        return name.replace("№ ", "№") if "№ " in name else name.replace("№", "№ ")
    if kind == "form":
        return name.replace(name.split()[0], rng.choice(_FORMS), 1)
    return name


def _folded(name: str) -> str:
    return name_key(name)  # what a table may not repeat within a municipality


def generate(seed: int, municipalities: int = 36, years: tuple[int, int] = (2022, 2023)
             ) -> Region2:
    """A region of ``municipalities`` bodies; 5 renamed as in issue 11, two cities among them."""
    rng = random.Random(seed)
    places = rng.sample(_PLACES, municipalities - 2)
    renames = ["body", "body", "kind", "upper", "lower", "title"] + [""] * municipalities
    bodies: list[Body] = []
    ident = 0
    for index, place in enumerate(["Биробиджан", *places, "Биробиджан"]):
        city = index == 0
        if city:
            names = {0: "город Биробиджан", 1: rng.choice(["Город Биробиджан", "город Биробиджан"])}
        else:
            names = _district_names(place, rng, renames[index - 1])
        body = Body({years[i]: n for i, n in names.items()})
        seen: set[str] = set()
        for core, level in _school_names(rng, place, city):
            ident += 1
            first = _spell(core, level, rng)
            second = _vary(first if rng.random() < 0.7 else _spell(core, level, rng), place, rng)
            if _folded(second) in seen:  # a varied name must not repeat another school's
                second = first
            if _folded(second) in seen or _folded(first) in seen:
                continue
            seen.update({_folded(first), _folded(second)})
            fate = rng.random()
            spelled = {years[0]: first, years[1]: second}
            if fate < 0.03:
                del spelled[years[1]]  # closed
            elif fate < 0.06:
                del spelled[years[0]]  # opened
            body.schools.append(School2(ident, spelled))
        bodies.append(body)
    return Region2(years, bodies)


def write(region: Region2, path: Path) -> dict[tuple[int, int], int]:
    """Write the workbook; return (year, Excel row) → school identity."""
    truth: dict[tuple[int, int], int] = {}
    variants = []
    for year in region.years:
        municipalities = []
        row = 9  # header rows 6–8, no numbering row, no total, no subtotals
        for body in region.bodies:
            schools = []
            for school in body.schools:
                if year in school.names:
                    participants = 5 + school.ident % 30
                    schools.append(School(school.names[year],
                                          {RUS: (participants, None, None, None, 60.0)}))
                    truth[(year, row)] = school.ident
                    row += 1
            municipalities.append(Municipality(body.names[year], schools))
        variants.append(Variant(
            sheet=str(year), title=f"Информация о результатах ЕГЭ выпускников школ в {year} году",
            subjects=(RUS,), municipalities=municipalities, subtotals=False, numbering=False))
    write_workbook(path, variants)
    return truth
