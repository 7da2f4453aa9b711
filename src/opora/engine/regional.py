"""Regional values per procedure × subject × grade × year, and where each one came from.

Seed 001 compares a school with «среднее по Свердловской области», yet a municipality holds only
its own schools. So a regional value is either *computed* by pooling every school's cell
(weighted by participants; the SD from the students' sums of squares) when the data covers the
region, or taken from an imported *reference* row (``reference.level == "region"``: the region
total row of a published table). A municipality's own schools are never passed off as the region:
with one municipality and no reference row the cell has no regional value and no verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opora.catalog import normalize_label
from opora.engine.cells import Cells, group_index, group_sum, isin_coded, map_factorized
from opora.engine.config import Rules
from opora.glossary import DEMO_SOURCE

_PLACE = re.compile(r"^(.+?\.(?:xlsx|xls|csv|parquet|ods)):([^:]+):(\d+)\b", re.IGNORECASE)
_FILE = re.compile(r"\.(?:xlsx|xls|csv|parquet|ods)\b", re.IGNORECASE)
_DEMO_MARK = re.compile(rf"[;,]?\s*(?:синтетика: opora generate[^;)]*|{DEMO_SOURCE})")
_NOTE = re.compile(r"^\s*\((.+)\)\s*$")
COMPUTED = "computed"
REFERENCE = "reference"


@dataclass
class Regional:
    """Per row of ``cells``: the regional mean (% of max), SD, SE and its source."""

    mean_pct: np.ndarray
    sd_pct: np.ndarray  # NaN when no student-level data gives the regional SD
    se_pct: np.ndarray  # uncertainty of the regional mean itself (0 for a published total)
    participants: np.ndarray
    kind: np.ndarray  # "computed" | "reference" | "" (no regional value)
    source: np.ndarray  # Russian words for the evidence
    key: np.ndarray  # row → regional cell number
    notes: list[str]
    #: ``kind`` and ``source`` per regional cell (``kind == cell_kind[key]``): the output table
    #: decodes them with Arrow instead of reading a string per row (issue 18)
    cell_kind: np.ndarray
    cell_source: np.ndarray


def region_by_school(schools: pa.Table | None) -> dict[str, str]:
    """School key → folded region name (empty when the registry does not say)."""
    if schools is None or "region" not in schools.column_names:
        return {}
    names = schools.column("region").to_pylist()
    folded = _folded(names)
    return dict(zip(schools.column("school_key").to_pylist(), (folded[r] for r in names),
                    strict=True))


def _folded(names: list[object]) -> dict[object, str]:
    """Each distinct name folded once (:func:`normalize_label`): a country's 40 thousand
    schools name 85 regions (issue 18)."""
    return {name: normalize_label(name) for name in set(names)}


def region_of_cells(cells: Cells, schools: pa.Table | None) -> np.ndarray:
    """The region (folded name; "" when unknown) of every cell's school.

    A country-scale data set holds many regions, and a school is compared with *its own*
    region (seed 001: «ниже среднего по Свердловской области»), never with the country.
    """
    return _regions_coded(cells, schools)[0]


def _regions_coded(cells: Cells, schools: pa.Table | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`region_of_cells` and the regions' codes (:func:`opora.engine.cells.factorize`)."""
    region = region_by_school(schools)
    return map_factorized(cells.school, cells.codes["school"], lambda k: region.get(k, ""))


def _regions_covered(schools: pa.Table | None) -> set[str]:
    """Folded names of the regions whose schools span more than one municipality."""
    if schools is None or "municipality" not in schools.column_names:
        return set()
    names = schools.column("municipality").to_pylist()
    regions = (schools.column("region").to_pylist() if "region" in schools.column_names
               else [None] * len(names))
    municipalities: dict[str, set[str]] = {}
    folded = _folded(regions)
    for region, municipality in zip(regions, names, strict=True):
        if municipality:
            municipalities.setdefault(folded[region], set()).add(municipality)
    return {region for region, names in municipalities.items() if len(names) > 1}


def set_regions(cells: Cells, schools: pa.Table | None) -> np.ndarray:
    """Each cell's region (:func:`region_of_cells`), its codes kept as ``cells.codes["region"]``:
    the other rules compare within the region."""
    regions, cells.codes["region"] = _regions_coded(cells, schools)
    return regions


def regional_values(cells: Cells, reference: pa.Table | None, schools: pa.Table | None,
                    rules: Rules, regions: np.ndarray | None = None) -> Regional:
    """Decide and compute the regional value for every cell (see the module docstring).

    Regional cells are region × procedure × subject × grade × year: with several regions loaded
    each school is compared with its own region, and whether a region is covered by the data
    (more than one municipality) is decided region by region. ``regions``: what
    :func:`set_regions` returned for these cells, if it was already called.
    """
    if regions is None:
        regions = set_regions(cells, schools)
    key, first = group_index(cells.codes["region"], cells.codes["procedure"],
                             cells.codes["subject"], cells.grade, cells.year)
    size = len(first)
    n = cells.col("participants")
    total_n = group_sum(key, n, size)
    with np.errstate(invalid="ignore", divide="ignore"):
        comp_mean = group_sum(key, cells.col("sum_pct"), size) / total_n
    comp_sd = _pooled_sd(cells, key, size)
    ref_mean, ref_source = _reference_means(cells, regions, first, reference)
    mode = rules.regional.source
    covered = _regions_covered(schools)
    covers = np.array([regions[r] in covered for r in first], dtype=bool)
    has_students = ~np.isnan(comp_sd)
    has_ref = ~np.isnan(ref_mean)
    if mode == "computed":
        use_comp = total_n > 0
    elif mode == "reference":
        use_comp = np.zeros(size, dtype=bool)
    else:
        use_comp = covers & (has_students | ~has_ref) & (total_n > 0)
    use_ref = ~use_comp & has_ref
    mean = np.where(use_comp, comp_mean, np.where(use_ref, ref_mean, np.nan))
    default_sd = np.array([rules.regional.default_sd_pct.get(p, np.nan)
                           for p in cells.procedure[first]], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(use_comp, np.where(has_students, comp_sd, default_sd) / np.sqrt(total_n), 0.0)
    kind = np.where(use_comp, COMPUTED, np.where(use_ref, REFERENCE, "")).astype(object)
    source = np.empty(size, dtype=object)
    for i in range(size):
        if use_comp[i]:
            who = ("всех школ региона" if covers[i]
                   else "всех загруженных школ (так задано в правилах)")
            source[i] = f"по данным {who}, вычислено по {int(total_n[i])} участникам"
        else:
            source[i] = ref_source[i] if use_ref[i] else ""
    notes = _notes(bool(covers.all()) if size else False, mode, size, int(use_comp.sum()),
                   int(use_ref.sum()))
    return Regional(mean[key], comp_sd[key], se[key], total_n[key], kind[key], source[key],
                    key, notes, kind, source)


def with_student_spread(cells: Cells) -> np.ndarray:
    """Cells counted from students' own rows whose sum of squared percents is known: the only
    cells whose spread (SD of students' percents) can be computed. Aggregate cells (ЕГЭ/ОГЭ
    reports without students) carry no spread."""
    return (isin_coded(cells.level, cells.codes["level"], ["student"])
            & ~np.isnan(cells.col("sumsq_pct")))


def _pooled_sd(cells: Cells, key: np.ndarray, size: int) -> np.ndarray:
    """SD of students' percent scores over all student-level cells of the regional cell."""
    student = with_student_spread(cells)
    n = np.where(student, cells.col("participants"), 0.0)
    s = np.where(student, cells.col("sum_pct"), 0.0)
    ss = np.where(student, cells.col("sumsq_pct"), 0.0)
    big_n = group_sum(key, n, size)
    big_s = group_sum(key, s, size)
    big_ss = group_sum(key, ss, size)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (big_ss - big_s**2 / big_n) / (big_n - 1)
    return np.where(big_n >= 2, np.sqrt(np.maximum(var, 0.0)), np.nan)


def _reference_means(cells: Cells, regions: np.ndarray, first: np.ndarray,
                     reference: pa.Table | None) -> tuple[np.ndarray, np.ndarray]:
    """Region-level reference means converted to % of max, aligned to the regional cells.

    A reference row applies to the cells of the region it names; a row that names no region
    applies to every region (a file that holds one region's total and no region name); a school
    whose region is unknown takes the reference only when exactly one region has one for the
    cell (never a guess between regions).
    """
    size = len(first)
    mean = np.full(size, np.nan)
    source = np.full(size, "", dtype=object)
    if reference is None or reference.num_rows == 0:
        return mean, source
    rows: dict[tuple[object, ...], dict[str, object]] = {}
    by_cell: dict[tuple[object, ...], list[dict[str, object]]] = {}
    if "level" in reference.column_names and "mean_score" in reference.column_names:
        # the region rows only, chosen by Arrow: a country's reference is 94 % municipalities
        # (issue 18)
        reference = reference.filter(pc.and_(pc.equal(reference.column("level"), "region"),
                                             pc.is_valid(reference.column("mean_score"))))
    listed = reference.to_pylist()
    folded = _folded([row.get("region") for row in listed])
    for row in listed:
        if row.get("level") != "region" or row.get("mean_score") is None:
            continue
        cell = (row["procedure"], row["subject"], int(row["grade"]), int(row["year"]))
        rows[(folded[row.get("region")], *cell)] = row
        by_cell.setdefault(cell, []).append(row)
    max_score = cells.col("max_score")[first]
    for i, r in enumerate(first):
        cell = (cells.procedure[r], cells.subject[r], int(cells.grade[r]), int(cells.year[r]))
        row = rows.get((regions[r], *cell)) or rows.get(("", *cell))
        if row is None and regions[r] == "" and len(by_cell.get(cell, ())) == 1:
            row = by_cell[cell][0]
        if row is None or not max_score[i] > 0:
            continue
        mean[i] = float(row["mean_score"]) / max_score[i] * 100.0
        source[i] = describe_reference(row.get("source"))
    return mean, source


def describe_reference(source: str | None) -> str:
    """«итог по региону из файла …» — the evidence must name the published row it relied on.

    The demo data's mark (:data:`opora.glossary.DEMO_SOURCE`, and the generator's older
    «синтетика: opora generate …») is left out: a demo's pages say «демо-данные» once instead of
    in every sentence (issue 13).
    """
    text = _DEMO_MARK.sub("", str(source or "")).strip(" ;,")
    if not text:
        return "итог по региону из импортированных эталонных значений"
    match = _PLACE.match(text)
    if match:  # the readers' «file:sheet:row (note)» form
        place = (f"итог по региону из файла {match.group(1)}, лист «{match.group(2)}», "
                 f"строка {match.group(3)}")
        note = _NOTE.search(text[match.end():])
        # a reader's note beyond the plain «итог по региону» says which value was taken and why
        # (a published mean that disagreed with its schools, issue 11)
        if note and note.group(1).strip() != "итог по региону":
            return f"{place} ({note.group(1).strip()})"
        return place
    if text.lower().startswith("файл"):
        return f"итог по региону из {text}"
    if _FILE.search(text):
        return f"итог по региону из файла {text}"
    return f"итог по региону (источник: {text})"


def _notes(covers: bool, mode: str, size: int, computed: int, referenced: int) -> list[str]:
    notes = []
    missing = size - computed - referenced
    if missing:
        why = ("данные охватывают один муниципалитет, а итоговых значений региона нет"
               if not covers else "нет ни данных школ, ни итога по региону")
        notes.append(f"региональное значение неизвестно для {missing} ячеек из {size}: {why}; "
                     "по ним школы не сравниваются с регионом")
    if referenced:
        notes.append(f"региональные значения из импортированного итога по региону: {referenced} ячеек")
    if computed:
        notes.append(f"региональные значения вычислены по данным школ: {computed} ячеек (режим {mode})")
    return notes
