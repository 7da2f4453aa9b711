"""A two-year published region table built from the real sample, as issue 11 met it in another region.

The real sample (``tests/data/realdata/ege_by_school_region_sample.xlsx``, sheets «2023» and
«2022») gives the layout and every school's own numbers. On top of them this module writes what
the table of issue 11 held and Опора did not read:

* German, French, Spanish and Chinese columns, the oral part «Английский язык (устный)»,
  «Информатика и ИКТ (КЕГЭ)» for «ИКТ», and «Математика базовая» with marks 2–5 as its mean;
* a mean of 0 beside every empty «приняло участие» cell (nobody sat the subject);
* «получили 100 баллов» larger than the participants in some rows of one subject;
* education bodies for municipalities, renamed between the years («Отдел образования … района»
  → «Комитет образования … округа», letter case), and school names of the older year with the
  district and region appended, stray characters, a typo and «№5» for «№ 5»;
* the region named only in the title («… Еврейской автономной области …»), and a region total
  whose history mean (9,74) disagrees with its schools.

:func:`build` writes the workbook and returns :class:`Truth`: the participants the file holds per
year and subject (summed from the school rows written, independently of any reader), the rows
whose «100» was made contradictory, and the schools of both years.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from ege_variants import Municipality, School, Variant, write_workbook

SAMPLE_SHEETS = ("2023", "2022")
FIRST_SUBJECT_COL = 5  # E: the sample's first subject column (1-based), five measures each
EXTRA = ("Немецкий язык, чел.", "Французский язык, чел.", "Испанский язык, чел.",
         "Китайский язык, чел.", "Английский язык (устный), чел.", "Математика базовая, чел.")
TOP_SUBJECT = "Обществознание, чел."  # where «получили 100 баллов» exceeds the participants
BODIES = {  # municipality → (body in 2023, body in 2022)
    "город биробиджан": ("Управление образования мэрии города Биробиджана",
                         "управление образования мэрии города Биробиджана"),
    "биробиджанский район": ("Комитет образования Биробиджанского муниципального округа",
                             "Отдел образования администрации Биробиджанского муниципального "
                             "района"),
    "ленинский район": ("Отдел образования администрации Ленинского муниципального района",
                        "ОТДЕЛ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ЛЕНИНСКОГО МУНИЦИПАЛЬНОГО РАЙОНА"),
    "облученский район": ("Управление образования Облученского муниципального округа",
                          'Отдел образования администрации муниципального района "Облученский '
                          'район"'),
    "октябрьский район": ("Отдел образования администрации Октябрьского района",
                          "Отдел образования администрации Октябрьского района"),
    "смидовичский район": ("Комитет образования Смидовичского муниципального округа",
                           "Отдел образования администрации Смидовичского муниципального "
                           "района"),
}
REGION = "Еврейская автономная область"


@dataclass
class Truth:
    participants: dict[tuple[int, str], int] = field(default_factory=dict)  # (year, header) → sum
    top_rows: int = 0
    schools: dict[int, list[str]] = field(default_factory=dict)  # year → names as written


def _sample_rows(path: Path, sheet: str) -> tuple[list[str], list[tuple[str, str, list[list]]]]:
    """(subject headers, [(municipality, school, [five cells per subject])]) of a sample sheet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    headers = [str(ws.cell(7, c).value) for c in range(FIRST_SUBJECT_COL, ws.max_column + 1, 5)
               if ws.cell(7, c).value is not None]
    rows, municipality = [], ""
    for r in range(11, ws.max_row + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        if isinstance(a, str):
            municipality = a
        elif isinstance(b, str):
            cells = [[ws.cell(r, FIRST_SUBJECT_COL + 5 * i + j).value for j in range(5)]
                     for i in range(len(headers))]
            rows.append((municipality, b, cells))
    return headers, rows


def _older_name(name: str, index: int) -> str:
    """The older year's spelling of a school name (issue 11's renamings, every third school)."""
    kind = index % 12
    if kind == 0:
        return f'{name[:-1]} Смидовичского района Еврейской автономной области"'
    if kind == 3:
        return f"– {name}"
    if kind == 6:
        return f"{name} <…>"
    if kind == 9 and '"СОШ' in name:
        return name.replace('"СОШ', '"Средняя общеебразовательная школа', 1)
    if kind in (1, 4):
        return name.replace("№ ", "№")
    return name


def _extra_cells(header: str, seed: int, foreign: int) -> tuple[object, ...]:
    """Cells of an added subject for one school: participants only in some schools."""
    if header.startswith("Английский язык (устный)"):
        n = foreign - seed % 2 if foreign else 0
    elif header.startswith("Математика базовая"):
        n = 3 + seed % 17
        return (n, None, None, None, round(3.2 + (seed % 16) / 10, 2))
    else:
        n = (seed % 3) if seed % (4 + len(header) % 5) == 0 else 0
    if not n:
        return (None, None, None, None, 0)  # nobody sat it: a mean of 0, as the tables print
    return (n, None, None, None, 40 + seed % 50)


def _school_cells(headers: list[str], cells: list[list], seed: int, year: int,
                  truth: Truth) -> dict[str, tuple[object, ...]]:
    results: dict[str, tuple[object, ...]] = {}
    for header, five in zip(headers, cells, strict=True):
        header = "Информатика и ИКТ (КЕГЭ), чел." if header.startswith("ИКТ") else header
        if five[0] is None:
            results[header] = (None, None, None, None, 0)
            continue
        if header == TOP_SUBJECT and seed % 4 == 0:
            five = [*five[:3], int(five[0]) + 3, five[4]]  # «100 баллов» > participants
            truth.top_rows += 1
        results[header] = tuple(five)
    foreign = int(cells[headers.index("Иностранные языки, чел.")][0] or 0)
    for header in EXTRA:
        results[header] = _extra_cells(header, seed, foreign)
    for header, five in results.items():
        if isinstance(five[0], int | float) and five[0]:
            key = (year, header)
            truth.participants[key] = truth.participants.get(key, 0) + int(five[0])
    return results


def _total(results: list[dict[str, tuple[object, ...]]], headers: list[str],
           year: int) -> dict[str, tuple[object, ...]]:
    total: dict[str, tuple[object, ...]] = {}
    for header in headers:
        rows = [r[header] for r in results if isinstance(r[header][0], int | float) and r[header][0]]
        n = sum(int(r[0]) for r in rows)  # type: ignore[arg-type]
        if not n:
            continue
        counts = [sum(int(r[j] or 0) for r in rows) for j in (1, 2, 3)]  # type: ignore[arg-type]
        weighted = sum(float(r[4]) * int(r[0]) for r in rows if r[4]) / n  # type: ignore[arg-type]
        mean = 9.74 if (year == 2023 and header.startswith("История")) else round(weighted, 2)
        total[header] = (n, *counts, mean)
    return total


def build(sample: Path, path: Path) -> Truth:
    """Write the two-year table to ``path`` (see the module docstring); return its truth."""
    truth = Truth()
    variants = []
    for sheet in SAMPLE_SHEETS:
        year = int(sheet)
        headers, rows = _sample_rows(sample, sheet)
        subjects = tuple(("Информатика и ИКТ (КЕГЭ), чел." if h.startswith("ИКТ") else h)
                         for h in headers) + EXTRA
        by_body: dict[str, list[School]] = {}
        all_results = []
        for index, (municipality, name, cells) in enumerate(rows):
            body = BODIES[municipality.lower().strip()][0 if year == 2023 else 1]
            results = _school_cells(headers, cells, index + year, year, truth)
            spelled = name if year == 2023 else _older_name(name, index)
            truth.schools.setdefault(year, []).append(spelled)
            by_body.setdefault(body, []).append(School(spelled, results))
            all_results.append(results)
        variants.append(Variant(
            sheet=sheet, region=None, subjects=subjects,
            title=f"Информация о результатах ЕГЭ выпускников школ Еврейской автономной области "
                  f"в {year} году",
            municipalities=[Municipality(body, schools) for body, schools in by_body.items()],
            total=_total(all_results, list(subjects), year)))
    write_workbook(path, variants)
    return truth
