"""Published per-school ЕГЭ/ОГЭ results of a region (format ``ege-by-school``).

Regions publish each year a table «Информация о результатах ЕГЭ выпускников школ в 2023 году»:
one sheet per year, a two-row header (subject → «приняло участие», «не преодолен min порог»,
«высокобалльники (80-99 баллов)», «получили 100 баллов», «средний балл»; ОГЭ tables may carry
marks «2»…«5»), the region total row «ВСЕГО по региону», municipality rows and school rows
(``tests/data/realdata/ege_by_school_region_sample.xlsx``). The layout is found by content
(:mod:`opora.formats.ege.layout`); the cells are checked by :mod:`opora.formats.ege.values`,
whose docstring states the empty-versus-zero convention.

What comes out:

* ``aggregates`` — one row per school × subject × year, only where the school had participants;
* ``schools`` — one row per school, its key stable across the sheets (years) of the file
  (:mod:`opora.formats.school_matching`); ambiguous cross-year matches are reported, not merged;
* ``reference`` — the region total row (level ``region``) and, where a municipality row gives a
  typed (not formula) mean, that mean (level ``municipality``) with the counts recomputed from
  its schools. Totals and subtotals are never read as schools: subtotal counts are ``=SUM``
  formulas whose cached values cannot be trusted (ARCHITECTURE.md, «Known pitfalls»).

A sheet of *applications* for next year's exam (the sample's «2024») is recognised and skipped
with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from opora.catalog import PROCEDURES, mean_scale, normalize_label
from opora.formats.base import Problem, ReadResult, UnreadableFile, column_letter
from opora.formats.ege.layout import (
    Layout,
    SubjectBlock,
    applications_reason,
    find_layout,
    procedures_named,
    region_of,
    title_text,
    year_of,
)
from opora.formats.ege.output import emit
from opora.formats.ege.rows import SchoolRow, SheetData, SubtotalMean
from opora.formats.ege.school_keys import assign_keys
from opora.formats.ege.values import (
    MEAN_RANGES,
    SubjectValues,
    dropped_note,
    fmt,
    parse_number,
    read_subject,
)
from opora.formats.errors import ReadErrorCode
from opora.formats.hints import ReadHints
from opora.formats.school_matching import municipality_key
from opora.formats.workbook import Sheet

FORMAT = "ege-by-school"
GRADES = {"EGE": 11, "OGE": 9}
_TOTAL = re.compile(r"^(?:всего|итого)\b(.*)$")
TOTAL_MEAN_TOLERANCE = 0.05
"""How far (a share of the scale's range: 5 points of a test score, 0,15 of a mark) a published
region mean may lie from its schools' weighted mean. In the sample the two differ by up to 1,5
points (the total counts participants the school rows round or leave out); the error met in a
real table was 40 points."""
_REGION_WORDS = re.compile(r"регион|област|кра[йю]|республик|субъект|округ")


def recognises(sheets: list[Sheet]) -> bool:
    """A sheet with subjects over «приняло участие», or a sheet of exam applications."""
    return any(find_layout(s) is not None or applications_reason(s) for s in sheets)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    """Read every results sheet; skip (and report) the others; raise if none is readable."""
    result = ReadResult()
    reader = _Reader(Path(path).name, hints, result)
    data = [d for d in (reader.sheet(s) for s in sheets) if d is not None]
    if not data:
        reasons = "; ".join(f"лист «{p.sheet}»: {p.message}" for p in result.skipped)
        raise UnreadableFile(
            f"файл {Path(path).name}: не найдено ни одной таблицы результатов ЕГЭ/ОГЭ по школам "
            f"(нужна шапка «предмет → приняло участие, средний балл»). {reasons}".strip()
        )
    municipalities = assign_keys(data, reader.file, result)
    emit(data, reader.file, result, municipalities)
    return result


class _Reader:
    def __init__(self, file: str, hints: ReadHints, result: ReadResult) -> None:
        self.file, self.hints, self.result = file, hints, result
        self.seen: set[tuple[str, int]] = set()

    def problem(self, sheet: str, code: ReadErrorCode, message: str, row: int | None = None,
                column: str = "") -> None:
        self.result.problems.append(
            Problem(self.file, message, code, sheet, None if row is None else row + 1, column))

    def skip(self, sheet: str, message: str) -> None:
        self.result.skipped.append(Problem(self.file, message, ReadErrorCode.SHEET_SKIPPED, sheet))

    def sheet(self, sheet: Sheet) -> SheetData | None:
        reason = applications_reason(sheet)
        if reason:
            self.skip(sheet.name, reason)
            return None
        layout = find_layout(sheet)
        if layout is None:
            if any(v is not None for row in sheet.rows for v in row):
                self.skip(sheet.name, "не найдена шапка таблицы результатов "
                                      "(предмет → «приняло участие», «средний балл»)")
            return None
        data = self._sheet_data(sheet, layout)
        if data is not None:
            _SheetParser(self, sheet, layout, data).parse()
        return data

    def _sheet_data(self, sheet: Sheet, layout: Layout) -> SheetData | None:
        year = year_of(sheet, layout) or self.hints.year
        if year is None:
            self.skip(sheet.name, "не удалось определить год: его нет ни в названии листа, ни в "
                                  "заголовке («… в 2023 году»); укажите год при загрузке")
            return None
        procedure = self._procedure(sheet, layout)
        if procedure is None:
            return None
        grade = GRADES.get(procedure) or self.hints.grade or _gve_grade(sheet, layout)
        if grade is None:
            self.skip(sheet.name, f"для {PROCEDURES[procedure].name_ru} не указан класс (9 или 11); "
                                  "укажите его при загрузке")
            return None
        if (procedure, year) in self.seen:
            self.skip(sheet.name, f"результаты {PROCEDURES[procedure].name_ru} за {year} год уже "
                                  "прочитаны с другого листа этого файла; лист пропущен")
            return None
        self.seen.add((procedure, year))
        scale = PROCEDURES[procedure].score_scale
        region = region_of(sheet, layout) or self.hints.region
        return SheetData(sheet.name, year, procedure, grade, scale, region)

    def _procedure(self, sheet: Sheet, layout: Layout) -> str | None:
        named = procedures_named(sheet, layout)
        if len(named) == 1:
            return named.pop()
        hinted = _hinted_procedure(self.hints.procedure)
        if hinted:
            return hinted
        found = "она не названа" if not named else "названо несколько: " + ", ".join(
            PROCEDURES[p].name_ru for p in sorted(named))
        told = (f"; указанная при загрузке «{self.hints.procedure}» не ЕГЭ, ОГЭ или ГВЭ"
                if self.hints.procedure else "; укажите её при загрузке")
        self.skip(sheet.name, f"не удалось определить процедуру (ЕГЭ, ОГЭ или ГВЭ): в заголовке "
                              f"{found}{told}")
        return None


def _hinted_procedure(hint: str | None) -> str | None:
    """The user's procedure as a code: «EGE», «ege» or «ЕГЭ» → EGE; None if it is none of ours."""
    if not hint:
        return None
    text = hint.strip()
    for code in ("EGE", "OGE", "GVE"):
        if text.upper() == code or normalize_label(text) == normalize_label(PROCEDURES[code].name_ru):
            return code
    return None


def _gve_grade(sheet: Sheet, layout: Layout) -> int | None:
    """ГВЭ is taken in grade 9 or 11; titles say which as «ГВЭ-9» / «ГВЭ-11»."""
    found = re.search(r"гвэ\s*-?\s*(9|11)\b", title_text(sheet, layout))
    return int(found.group(1)) if found else None


def _text(value: object) -> str:
    """A name cell as text with ordinary spaces; numbers (843 in a name column) are not names."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ")).strip()


class _SheetParser:
    """Walks the data rows of one sheet, keeping the current municipality."""

    def __init__(self, reader: _Reader, sheet: Sheet, layout: Layout, data: SheetData) -> None:
        self.reader, self.sheet, self.layout, self.data = reader, sheet, layout, data
        self.municipality = reader.hints.municipality or ""

    def parse(self) -> None:
        for block in self.layout.blocks:
            if block.subject is None:
                self._unknown_subject(block)
            elif "participants" not in block.columns:
                self._problem(ReadErrorCode.NO_PARTICIPANTS_COLUMN, self.layout.subject_row,
                              block.column,
                              f"у предмета «{block.label.strip()}» нет столбца «приняло "
                              "участие»; столбцы предмета пропущены")
        self.blocks = [b for b in self.layout.blocks
                       if b.subject is not None and "participants" in b.columns]
        for block in self.blocks:
            assert block.subject is not None
            self.data.scales[block.subject] = block.mean_scale or mean_scale(
                self.data.procedure, block.subject)
        for row in range(self.layout.data_start, len(self.sheet.rows)):
            self._row(row)
        if self.data.total_row is not None:
            self._check_total()
        self._check_subtotal_means()

    def _problem(self, code: ReadErrorCode, row: int, col: int, message: str) -> None:
        header = self.layout.column_header(self.sheet, col)
        column = f"{column_letter(col)} ({header})" if header else column_letter(col)
        self.reader.problem(self.sheet.name, code, message, row, column)

    def _unknown_subject(self, block: SubjectBlock) -> None:
        self._problem(ReadErrorCode.UNKNOWN_SUBJECT, self.layout.subject_row, block.column,
                      f"предмет «{block.label.strip()}» не найден в справочнике предметов; "
                      f"его столбцы ({column_letter(min(block.columns.values()))}–"
                      f"{column_letter(max(block.columns.values()))}) пропущены")

    def _names(self, row: int) -> tuple[str, str]:
        col = self.layout.municipality_col
        municipality = _text(self.sheet.cell(row, col)) if col is not None else ""
        return municipality, _text(self.sheet.cell(row, self.layout.school_col))

    def _has_numbers(self, row: int) -> bool:
        return any(self.sheet.cell(row, c) is not None
                   for b in self.blocks for c in b.columns.values())

    def _counts_are_formulas(self, row: int) -> bool:
        return any(self.sheet.is_formula(row, b.columns["participants"]) for b in self.blocks)

    def _row(self, row: int) -> None:
        municipality, school = self._names(row)
        label = normalize_label(municipality or school)
        total = _TOTAL.match(label)
        if total:
            if not total.group(1).strip() or _REGION_WORDS.search(total.group(1)):
                self._region_total(row)
            else:
                self._subtotal(row, municipality or self.municipality)
        elif school and self._counts_are_formulas(row):
            if self.layout.municipality_col is None:  # the subtotal's name is the municipality
                self.municipality = school
            self._subtotal(row, municipality or self.municipality)
        elif municipality and not school:
            self.municipality = municipality
            self._subtotal(row, municipality)
        elif school:
            self._school(row, municipality or self.municipality, school)
        elif self._has_numbers(row):
            self._problem(ReadErrorCode.SCHOOL_WITHOUT_NAME, row, self.layout.school_col,
                          "в строке есть результаты, но нет наименования школы; строка не принята")
            self.reader.result.rejected_rows += 1

    def _school(self, row: int, municipality: str, name: str) -> None:
        school = SchoolRow(name, municipality, row)
        for block in self.blocks:
            values = self._subject(row, block, name)
            assert block.subject is not None
            if values.present:
                school.subjects[block.subject] = values.measures
            elif values.errors:
                self.data.rejected.append((municipality, block.subject))
        self.data.schools.append(school)

    def _subject(self, row: int, block: SubjectBlock, who: str) -> SubjectValues:
        assert block.subject is not None
        values = read_subject(self.sheet, row, block, self.data.scale_of(block.subject))
        subject = block.label.strip().splitlines()[0]
        for error in values.errors:
            self._problem(error.code, row, error.col,
                          f"{who}, «{subject}»: {error.message}; "
                          "результат по этому предмету не принят")
        if values.errors:
            self.reader.result.rejected_rows += 1
            return values
        for error in values.dropped:
            self._problem(error.code, row, error.col, f"{who}, «{subject}»: {error.message}; "
                          + dropped_note(values.measures))
        mean_col = block.columns.get("mean_score")
        if values.present and values.measures.get("mean_score") is None and mean_col is not None \
                and not any(e.col == mean_col for e in values.dropped):
            self._problem(ReadErrorCode.MEAN_MISSING, row, block.columns["mean_score"],
                          f"{who}: средний балл не указан (участников: "
                          f"{int(values.measures['participants'])}); остальные числа "
                          "приняты, средний балл оставлен пустым")
        return values

    def _region_total(self, row: int) -> None:
        if self.data.total_row is not None:
            self._problem(ReadErrorCode.DUPLICATE_TOTAL, row, self.layout.school_col,
                          f"вторая строка итога по региону (первая — строка "
                          f"{self.data.total_row + 1}); не прочитана")
            return
        self.data.total_row = row
        for block in self.blocks:
            values = self._subject(row, block, "Итог по региону")
            assert block.subject is not None
            if values.present:
                self.data.total[block.subject] = values.measures

    def _subtotal(self, row: int, municipality: str) -> None:
        """Keep only a typed mean; the counts are recomputed from the schools (see ``emit``)."""
        for block in self.blocks:
            col = block.columns.get("mean_score")
            if col is None or self.sheet.is_formula(row, col):
                continue
            mean, ok = parse_number(self.sheet.cell(row, col))
            if not ok or mean is None:
                continue
            assert block.subject is not None
            low, high = MEAN_RANGES[self.data.scale_of(block.subject)]
            if low <= mean <= high:
                self.data.subtotal_means.append(
                    SubtotalMean(municipality, block.subject, mean, row))
            else:
                self._problem(ReadErrorCode.MEAN_OUT_OF_RANGE, row, col,
                              f"итог «{municipality}»: средний балл {mean:g} вне диапазона "
                              f"{low:g}–{high:g}; как эталон муниципалитета не взят")

    def _check_subtotal_means(self) -> None:
        """A typed municipality mean whose municipality has no school with the subject is void."""
        kept = []
        for subtotal in self.data.subtotal_means:
            key = municipality_key(subtotal.municipality)
            schools = [s for s in self.data.schools if municipality_key(s.municipality) == key
                       and subtotal.subject in s.subjects]
            rejected = [m for m, subject in self.data.rejected
                        if municipality_key(m) == key and subject == subtotal.subject]
            if schools or rejected:
                kept.append(subtotal)
                continue
            block = next(b for b in self.blocks if b.subject == subtotal.subject)
            self._problem(ReadErrorCode.MEAN_WITHOUT_PARTICIPANTS, subtotal.row,
                          block.columns["mean_score"],
                          f"итог «{subtotal.municipality}»: средний балл {subtotal.mean:g} указан, "
                          "а ни у одной школы муниципалитета нет участников по предмету; "
                          "как эталон муниципалитета не взят")
        self.data.subtotal_means = kept

    def _check_total(self) -> None:
        assert self.data.total_row is not None
        for block in self.blocks:
            assert block.subject is not None
            total = self.data.total.get(block.subject, {}).get("participants")
            if total is None:
                continue
            schools = sum(s.subjects.get(block.subject, {}).get("participants", 0)
                          for s in self.data.schools)
            if schools == total:
                self._check_total_mean(block)  # the file covers the region: the mean must agree
                continue
            rejected = sum(1 for m, s in self.data.rejected if s == block.subject)
            note = (f" (без {rejected} непринятых результатов школ)" if rejected else
                    "; возможно, в таблице приведены не все школы")
            self._problem(ReadErrorCode.TOTAL_MISMATCH, self.data.total_row,
                          block.columns["participants"],
                          f"«{block.label.strip().splitlines()[0]}»: сумма участников по школам "
                          f"{int(schools)} не равна итогу по региону {int(total)} (разница "
                          f"{int(total - schools):+d}){note}; строки школ не отклонены")

    def _check_total_mean(self, block: SubjectBlock) -> None:
        """The region's published mean against its schools' participant-weighted mean.

        A real table printed a history total of 9,74 beside schools whose weighted mean was
        49,95: such a total must not become the regional value silently. When the two differ by
        more than :data:`TOTAL_MEAN_TOLERANCE` of the scale, the schools' mean is used — it is the one consistent with the rows the file holds — and the reference
        row's source says so, so the flags' evidence does too.
        """
        assert block.subject is not None and self.data.total_row is not None
        total = self.data.total[block.subject]
        weighted = weighted_mean(self.data.schools, block.subject)
        if total.get("mean_score") is None or weighted is None:
            return
        low, high = MEAN_RANGES[self.data.scale_of(block.subject)]
        if abs(total["mean_score"] - weighted) <= TOTAL_MEAN_TOLERANCE * (high - low):
            return
        published, computed = fmt(total["mean_score"]), fmt(round(weighted, 2))
        self.data.total_notes[block.subject] = (
            f"средний балл итога {published} не сходится со средним школ {computed}, "
            "взвешенным по участникам: взято среднее школ")
        total["mean_score"] = weighted
        self._problem(ReadErrorCode.TOTAL_MEAN_MISMATCH, self.data.total_row,
                      block.columns["mean_score"],
                      f"«{block.label.strip().splitlines()[0]}»: средний балл итога по региону "
                      f"{published} не сходится со средним баллом школ {computed} (взвешенным по "
                      "числу участников; участники школ в сумме равны итогу); как значение "
                      "региона взято среднее школ")


def weighted_mean(schools: list[SchoolRow], subject: str) -> float | None:
    """Σ mean × participants / Σ participants over the schools with a mean in the subject."""
    pairs = [(m["mean_score"], m["participants"]) for s in schools
             if (m := s.subjects.get(subject)) and m.get("mean_score") is not None]
    weight = sum(n for _, n in pairs)
    return sum(v * n for v, n in pairs) / weight if weight else None
