"""Identification: low results (ШНОР), persistently low, risk zone, and the threshold rule.

Seed 001 (Каменск-Уральский): a school is ШНОР when its mean score in ВПР, ОГЭ, ЕГЭ in a subject
and year is below the regional mean, «за последние три года»; identification there used Russian
and mathematics. The seed's unit is a subject in a year, so the school's gaps in all counted cells
of a subject and year (ВПР of several grades, ОГЭ, ЕГЭ; :mod:`opora.engine.gaps`) are combined,
weighted by participants, into one gap with one 95 % interval (normal, independent cells); the
subject is *low* only when the whole interval lies below −``min_gap_pct`` (0 by default: «ниже
среднего»). Combining per subject instead of testing every cell alone keeps an average school from
being flagged by chance among a dozen tests a year. A year is low when at least
``min_low_subjects`` subjects are low; ``low_results`` needs ``min_low_years`` low years of the
last ``years`` (and, with ``require_last_year``, the last year among them: a list of a year names
schools low in that year). ``persistently_low`` — low in each of the last three years
(DOMAIN.md). The threshold rule (practice of one region, DOMAIN.md): share of «2» / below the
minimum ≥ X % on ≥ K procedures in a year and in the previous year — its own flag,
``failing_share``, so the two rules' badges differ. ``risk_zone`` (DOMAIN.md): not ШНОР, but low
in one recent year, or more than ``risk_margin_pct`` beyond the ШНОР line (−``min_gap_pct``)
without proof, or falling two years running to less than ``risk_margin_pct`` above that line.
Every flag carries the year its evidence speaks of: a risk zone for being low in 2023 is a risk
zone of 2023, not of the window's last year (issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from opora.catalog import SUBJECTS
from opora.engine.cells import Cells, factorize, group_index, group_sum, isin, isin_coded
from opora.engine.config import Rules
from opora.engine.evidence import cell_evidence, cell_name, join_limited, num, sd_note
from opora.engine.gaps import (
    HIGH,
    LOW,
    NO_REGION,
    SAME,
    TOO_FEW,
    Gaps,
    fail_share_pct,
    status_in,
)
from opora.engine.regional import Regional
from opora.glossary import FAILING_SHARE, LOW_RESULTS, PERSISTENTLY_LOW, RISK_ZONE


@dataclass
class Flag:
    school_key: str
    flag: str
    year: int
    evidence: str


@dataclass
class YearGaps:
    """Per school × year over the counted cells: mean gap (weighted by participants) and its SE."""

    school: np.ndarray
    year: np.ndarray
    gap_pct: np.ndarray
    se_pct: np.ndarray
    low_cells: np.ndarray  # cells whose own interval is below the region
    tested_cells: np.ndarray
    participants: np.ndarray


@dataclass
class SubjectGaps:
    """Per school × year × subject family («math» joins math, math_profile, math_base)."""

    school: np.ndarray
    year: np.ndarray
    family: np.ndarray
    gap_pct: np.ndarray
    low_pct: np.ndarray
    high_pct: np.ndarray
    cells: np.ndarray
    order: np.ndarray  # the cells of the low groups, by group, most below the region first
    start: np.ndarray  # low group k's cells: order[start[k]:start[k + 1]]
    is_low: np.ndarray

    def rows(self, k: int) -> np.ndarray:
        """The cells of low group ``k``, most below the region first (sliced when asked: a
        country has about a million groups and only the flagged schools' are read, issue 18).
        Only the low groups' cells are ordered, so only they can be asked for."""
        if not self.is_low[k]:
            raise ValueError(f"группа {k} не ниже региона: её работы не упорядочены")
        return self.order[self.start[k]:self.start[k + 1]]


@dataclass
class Identification:
    flags: list[Flag]
    years: YearGaps
    window: list[int]
    low_schools: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def counted_mask(cells: Cells, rules: Rules) -> np.ndarray:
    """Cells the identification counts: configured procedures, subjects and grades."""
    ident = rules.identification
    mask = (isin_coded(cells.procedure, cells.codes["procedure"], ident.procedures)
            & isin_coded(cells.subject, cells.codes["subject"], ident.subjects))
    if ident.grades:
        mask &= np.isin(cells.grade, list(ident.grades))
    return mask


def cell_row(cells: Cells, regional: Regional, gaps: Gaps, i: int) -> dict[str, object]:
    """One cell as the dict :func:`opora.engine.evidence.cell_evidence` reads."""
    return {
        "procedure": cells.procedure[i], "subject": cells.subject[i], "grade": int(cells.grade[i]),
        "year": int(cells.year[i]), "score_scale": cells.score_scale[i],
        "max_score": cells.col("max_score")[i], "mean_pct": cells.col("mean_pct")[i],
        "region_mean_pct": regional.mean_pct[i], "participants": cells.col("participants")[i],
        "gap_pct": gaps.gap_pct[i], "gap_low_pct": gaps.low_pct[i],
        "gap_high_pct": gaps.high_pct[i], "region_source": regional.source[i],
    }


def describe_cell(cells: Cells, regional: Regional, gaps: Gaps, i: int) -> str:
    row = cell_row(cells, regional, gaps, i)
    note = sd_note(str(gaps.sd_kind[i]), float(gaps.sd_pct[i]), row["score_scale"])  # type: ignore[arg-type]
    return cell_evidence(row, note)


def family(subject: str) -> str:
    """Subject family: the three mathematics codes are one subject for identification."""
    return "math" if subject.startswith("math") else subject


def tested_mask(gaps: Gaps, mask: np.ndarray) -> np.ndarray:
    return mask & status_in(gaps, LOW, HIGH, SAME)


def subject_gaps(cells: Cells, gaps: Gaps, mask: np.ndarray, rules: Rules) -> SubjectGaps:
    """Combined gap per school × year × subject with its interval (see the module docstring)."""
    idx = np.flatnonzero(tested_mask(gaps, mask))
    key, first = group_index(cells.codes["school"][idx], cells.year[idx],
                             cells.codes["family"][idx])
    size = len(first)
    w = cells.col("participants")[idx]
    wsum = np.maximum(group_sum(key, w, size), 1e-9)
    gap = group_sum(key, w * gaps.gap_pct[idx], size) / wsum
    se = np.sqrt(group_sum(key, (w * gaps.se_pct[idx]) ** 2, size)) / wsum
    z = float(stats.norm.ppf(0.5 + rules.identification.confidence / 2))
    count = np.bincount(key, minlength=size)
    high = gap + z * se
    is_low = high < -rules.identification.min_gap_pct
    # the sentences name the cells of the low groups only: only they are sorted, by group, most
    # below the region first (issue 18: sorting all of a country's cells took 0.3 s)
    low = np.flatnonzero(is_low[key])
    order = low[np.lexsort((gaps.gap_pct[idx][low], key[low]))]
    at = idx[first]  # the strings gathered at the groups' first rows only (issue 18)
    return SubjectGaps(cells.school[at], cells.year[at], cells.family[at], gap,
                       gap - z * se, high, count, idx[order],
                       np.concatenate([[0], np.cumsum(np.where(is_low, count, 0))]).astype(np.int64),
                       is_low)


def year_gaps(cells: Cells, gaps: Gaps, mask: np.ndarray) -> YearGaps:
    """Weighted mean gap per school × year over the tested counted cells (SE: independent cells)."""
    idx = np.flatnonzero(tested_mask(gaps, mask))
    key, first = group_index(cells.codes["school"][idx], cells.year[idx])
    size = len(first)
    w = cells.col("participants")[idx]
    wsum = group_sum(key, w, size)
    gap = group_sum(key, w * gaps.gap_pct[idx], size) / np.where(wsum > 0, wsum, 1)
    se = np.sqrt(group_sum(key, (w * gaps.se_pct[idx]) ** 2, size)) / np.where(wsum > 0, wsum, 1)
    low = np.bincount(key, weights=status_in(gaps, LOW)[idx].astype(float), minlength=size)
    # the strings gathered at the groups' first rows only (object arrays are copied holding
    # the interpreter's lock, issue 18)
    return YearGaps(cells.school[idx[first]], cells.year[idx[first]], gap, se,
                    low.astype(int), np.bincount(key, minlength=size), wsum)


def analysis_window(cells: Cells, rules: Rules) -> list[int]:
    """The years the rules look at: the last ``identification.years`` years of the data."""
    if len(cells.year) == 0:
        return []
    # the years present, counted rather than sorted: a few distinct years in 1.85 M cells
    first = int(cells.year.min())
    present = np.flatnonzero(np.bincount(cells.year - first)) + first
    return [int(y) for y in present][-rules.identification.years:]


def identify(cells: Cells, regional: Regional, gaps: Gaps, rules: Rules) -> Identification:
    """All identification flags for the last ``identification.years`` years of the data."""
    ident = rules.identification
    window = analysis_window(cells, rules)
    mask = counted_mask(cells, rules) & np.isin(cells.year, window)
    yg = year_gaps(cells, gaps, mask)
    result = Identification([], yg, window)
    if not window:
        result.notes.append("нет результатов за выбранные годы: идентификация не выполнялась")
        return result
    last = window[-1]
    sg = subject_gaps(cells, gaps, mask, rules)
    low_rows = np.flatnonzero(sg.is_low)
    sy = _SchoolYears(yg, sg, low_rows, window, rules)
    # the rules for all schools at once; the sentences for the flagged schools only (issue 18)
    persistent = (sy.n_low == len(window)) if len(window) >= 3 else np.zeros(sy.size, bool)
    flagged = sy.low_school | persistent
    low_of: dict[int, list[int]] = {}  # a flagged school's low subjects × years (rows of sg)
    for k in low_rows[flagged[sy.low_code]].tolist():
        low_of.setdefault(int(sy.code_of_sg[k]), []).append(k)
    for u in np.flatnonzero(flagged).tolist():
        school = str(sy.names[u])
        low_years = sy.low_years(u)
        sentences = sorted((_subject_text(cells, regional, gaps, sg, k,
                                          int(sg.year[k]) == sy.latest[u])
                            for k in low_of.get(u, [])), reverse=True)
        if sy.low_school[u]:
            last_too = ", включая последний" if ident.require_last_year else ""
            head = (f"Ниже среднего по региону в {len(low_years)} из {len(window)} лет "
                    f"({', '.join(map(str, low_years))}; нужно не менее "
                    f"{ident.min_low_years}{last_too}). ")
            result.flags.append(Flag(school, LOW_RESULTS.code, last, head + " ".join(sentences)))
            result.low_schools.add(school)
        if persistent[u]:
            result.flags.append(Flag(school, PERSISTENTLY_LOW.code, last,
                                     "Ниже среднего по региону в каждом из лет "
                                     f"{', '.join(map(str, window))}. " + " ".join(sentences)))
    if len(window) < 3:
        result.notes.append(f"«стабильно низкие результаты» требуют трёх лет, в данных "
                            f"{len(window)}: флаг {PERSISTENTLY_LOW.code} не вычислялся")
    _threshold_rule(cells, mask, rules, window, result)
    _risk_zone(sy, sg, low_rows, window, rules, result)
    _data_notes(cells, gaps, mask, result)
    return result


class _SchoolYears:
    """Every school of the window (``yg``) × window year: low subjects counted, the mean gap —
    as matrices, so the gap rule, ``persistently_low`` and the risk zone are decided for all
    schools at once (issue 18: no loop over 40,005 schools or their 480,000 low subjects)."""

    def __init__(self, yg: YearGaps, sg: SubjectGaps, low_rows: np.ndarray, window: list[int],
                 rules: Rules) -> None:
        ident = rules.identification
        both = np.concatenate([yg.school, sg.school[low_rows]]).astype(object)
        codes, size = factorize(both)
        self.size = size
        self.names = np.empty(size, dtype=object)
        self.names[codes] = both
        self.window = window
        self.code_of_yg = codes[:len(yg.school)]
        self.low_code = codes[len(yg.school):]
        self.code_of_sg = np.full(len(sg.school), -1, dtype=np.int64)
        self.code_of_sg[low_rows] = self.low_code
        width = len(window)
        low_pos = np.searchsorted(window, sg.year[low_rows])
        self.count = np.bincount(self.low_code * width + low_pos,
                                 minlength=size * width).reshape(size, width)
        self.is_low_year = self.count >= ident.min_low_subjects
        self.n_low = self.is_low_year.sum(axis=1)
        present = np.zeros(size, dtype=bool)  # code 0 is factorize's slot for a missing key
        present[codes] = True
        self.low_school = (self.n_low >= ident.min_low_years) & present
        if ident.require_last_year:
            self.low_school &= self.is_low_year[:, -1]
        self.latest = np.full(size, -1, dtype=np.int64)  # the latest year with a low subject
        np.maximum.at(self.latest, self.low_code, sg.year[low_rows].astype(np.int64))
        self.gap = np.full((size, width), np.nan)
        self.gap[self.code_of_yg, np.searchsorted(window, yg.year)] = yg.gap_pct

    def low_years(self, u: int) -> list[int]:
        return [y for y, low in zip(self.window, self.is_low_year[u].tolist(), strict=True)
                if low]


def is_low_school(low_years: list[int], window: list[int], rules: Rules) -> bool:
    """ШНОР by the gap rule: ``min_low_years`` low years of the window, and the last year among
    them when ``require_last_year`` is set."""
    ident = rules.identification
    if len(low_years) < ident.min_low_years:
        return False
    return not ident.require_last_year or (bool(window) and window[-1] in low_years)


def _why_not_low(low_years: list[int], window: list[int], rules: Rules) -> str:
    """Why a school low in some years is not ШНОР: too few low years, or not the last one."""
    ident = rules.identification
    if len(low_years) < ident.min_low_years:
        return (f"лет с низкими результатами {len(low_years)} из {len(window)}, а для ШНОР нужно "
                f"не менее {ident.min_low_years}")
    below = (f"не ниже региона больше чем на {num(ident.min_gap_pct)} п.п."
             if ident.min_gap_pct > 0 else "не ниже региона")
    return (f"в {window[-1]} году школа {below}, а ШНОР — только при низких результатах и в "
            "последнем году")


def _subject_text(cells: Cells, regional: Regional, gaps: Gaps, sg: SubjectGaps, k: int,
                  detail: bool = True) -> str:
    """«2024, русский язык: …» — the combined gap, then (``detail``) the two cells most below."""
    rows = sg.rows(k).tolist()
    fam = str(sg.family[k])
    name = SUBJECTS[fam].name_ru.lower() if fam in SUBJECTS else fam
    works = "работе" if len(rows) % 10 == 1 and len(rows) % 100 != 11 else "работам"
    head = (f"{int(sg.year[k])}, {name}: в среднем по {len(rows)} {works} школа ниже региона на "
            f"{num(-float(sg.gap_pct[k]))} п.п. от максимума, 95 % интервал разницы от "
            f"{num(float(sg.low_pct[k]), signed=True)} до {num(float(sg.high_pct[k]), signed=True)}")
    if not detail:
        return head + "."
    shown = [describe_cell(cells, regional, gaps, i) for i in rows[:2]]  # the two most below
    more = f". Ещё работ по предмету: {len(rows) - 2}" if len(rows) > 2 else ""
    return head + ". " + ". ".join(shown) + more + "."


def _threshold_rule(cells: Cells, mask: np.ndarray, rules: Rules, window: list[int],
                    result: Identification) -> None:
    """Share of «2»/below minimum ≥ X % on ≥ K procedures in each of ``consecutive_years`` years."""
    tr = rules.threshold_rule
    if not tr.enabled:
        return
    share = fail_share_pct(cells)
    enough = cells.col("participants") >= rules.identification.min_participants
    hit = np.flatnonzero(mask & enough & (share >= tr.share_pct))
    last = window[-1]
    years = list(range(last - tr.consecutive_years + 1, last + 1))
    if not len(hit):
        return
    # procedures per school × year counted for all schools at once; the rows and sentences
    # only for the schools the rule flags (issue 18)
    school_code, year = cells.codes["school"][hit], cells.year[hit]
    key, first = group_index(school_code, year)
    count = np.bincount(key)
    good = (count >= tr.min_procedures) & np.isin(year[first], years)
    good_years = np.bincount(school_code[first], weights=good.astype(float),
                             minlength=int(school_code.max()) + 1)
    wanted = good_years[school_code] == len(years)  # min_procedures ≥ 1 (config._validate)
    per: dict[tuple[str, int], list[int]] = {}
    for row in hit[wanted].tolist():
        per.setdefault((str(cells.school[row]), int(cells.year[row])), []).append(row)
    for school in sorted({s for s, _ in per}):
        parts = []
        for y in years:
            for i in per.get((school, y), []):
                parts.append(
                    f"{_cell_title(cells, i)}: доля «2» / не преодолевших минимальный порог "
                    f"{num(float(share[i]))} % при участниках {int(cells.col('participants')[i])}")
        head = (f"Правило доли неудовлетворительных результатов: не менее {num(tr.share_pct)} % "
                f"не менее чем по {tr.min_procedures} процедурам в каждом из лет "
                f"{', '.join(map(str, years))}. ")
        result.flags.append(Flag(school, FAILING_SHARE.code, last, head + join_limited(parts)))
        result.low_schools.add(school)


def _cell_title(cells: Cells, i: int) -> str:
    return cell_name(str(cells.procedure[i]), str(cells.subject[i]), int(cells.grade[i]),
                     int(cells.year[i]))


def _low_subjects(sg: SubjectGaps, low_rows: list[int]) -> dict[tuple[str, int], list[str]]:
    """(school, year) → «русский язык: на 5,1 п.п. ниже, 95 % интервал разницы от −8,0 до
    −2,2» for each subject low that year: the numbers that made the year low."""
    found: dict[tuple[str, int], list[str]] = {}
    for k in low_rows:
        fam = str(sg.family[k])
        name = SUBJECTS[fam].name_ru.lower() if fam in SUBJECTS else fam
        found.setdefault((str(sg.school[k]), int(sg.year[k])), []).append(
            f"{name}: на {num(-float(sg.gap_pct[k]))} п.п. от максимума, 95 % интервал разницы "
            f"от {num(float(sg.low_pct[k]), signed=True)} до "
            f"{num(float(sg.high_pct[k]), signed=True)}")
    return found


def _risk_zone(sy: _SchoolYears, sg: SubjectGaps, low_rows: np.ndarray, window: list[int],
               rules: Rules, result: Identification) -> None:
    """Issue 11: the evidence was «ниже региона в 2023 году» alone; each reason now carries the
    numbers that made it (the subject's gap and interval, the mean gap, the series). Issue 12:
    each reason is a flag of the year it speaks of — low in 2023 is the risk zone of 2023; near
    the line and falling are of the last year — so a list of 2025 never holds a school for 2023.
    Issue 18: the three reasons are tested for all schools at once (:class:`_SchoolYears`); the
    sentences are written for the schools in the zone only."""
    ident = rules.identification
    last = window[-1]
    beyond = ident.min_gap_pct + ident.risk_margin_pct  # the margin beyond the ШНОР line
    near = ident.risk_margin_pct - ident.min_gap_pct  # the margin above the ШНОР line
    g_last = sy.gap[:, -1]
    with np.errstate(invalid="ignore"):
        is_beyond = (g_last < -beyond) & ~sy.is_low_year[:, -1]
        falling = np.zeros(sy.size, dtype=bool)
        if len(window) >= 3:
            g0, g1, g2 = sy.gap[:, -3], sy.gap[:, -2], sy.gap[:, -1]
            falling = (g0 > g1) & (g1 > g2) & (g2 < near)
    listed = isin(sy.names, result.low_schools)
    zone = (sy.is_low_year.any(axis=1) | is_beyond | falling) & ~listed
    low_subjects = _low_subjects(sg, low_rows[zone[sy.low_code]].tolist())
    for u in np.flatnonzero(zone).tolist():
        school = str(sy.names[u])
        reasons: dict[int, list[str]] = {}
        low_years = sy.low_years(u)
        for year in low_years:
            subjects = "; ".join(low_subjects.get((school, year), []))
            reasons.setdefault(year, []).append(
                f"ниже региона в {year} году ({subjects}), но "
                + _why_not_low(low_years, window, rules))
        if is_beyond[u]:
            reasons.setdefault(last, []).append(
                f"в {last} году в среднем на {num(-g_last[u])} п.п. ниже региона (порог зоны риска "
                f"{num(beyond)} п.п.), хотя при числе участников это не доказано")
        if falling[u]:
            g = sy.gap[u, -3:]
            reasons.setdefault(last, []).append(
                "разница с регионом снижалась два года подряд: "
                + " → ".join(num(x, signed=True) for x in g) + " п.п.")
        for year in sorted(reasons):
            result.flags.append(Flag(school, RISK_ZONE.code, year,
                                     f"{RISK_ZONE.name_ru}: " + "; ".join(reasons[year])))


def _data_notes(cells: Cells, gaps: Gaps, mask: np.ndarray, result: Identification) -> None:
    few = int(np.sum(mask & status_in(gaps, TOO_FEW)))
    if few:
        result.notes.append(f"{few} ячеек с малым числом участников: «недостаточно данных», без флага")
    no_region = int(np.sum(mask & status_in(gaps, NO_REGION)))
    if no_region:
        result.notes.append(f"{no_region} ячеек без регионального значения: не сравнивались")
    aggregate = isin_coded(cells.level, cells.codes["level"], ["aggregate"])
    assumed = int(np.sum(mask & aggregate & ~np.isnan(gaps.gap_pct)))
    if assumed:
        result.notes.append(
            f"{assumed} ячеек — только агрегаты: разброс учеников неизвестен, интервалы построены "
            "по принятому SD (региональному или regional.default_sd_pct); распределение баллов и "
            "выполнение заданий по ним не анализируются")
