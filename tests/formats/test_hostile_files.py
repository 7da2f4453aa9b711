"""No file can kill a reader's caller: every hostile file gets a result or a Russian message.

The corpus (tests/hostile_files.py) holds dimension bombs, zip bombs, XML entity tricks,
broken shared strings, NUL bytes, huge cells and rows, truncated, renamed and garbage files. Each
is read by every reader (``auto`` and each explicit format) in a child process with the
production limits, and the child's peak memory is checked: under 1 GB for every file, and no
file may reach the memory or time limit — the checks refuse bombs before they are read.
The net itself (a reader that does abort, or hangs) is shown with an OpenDocument file whose
repeated cells make calamine allocate more than it may.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_files import EXPECTED_REFUSAL, build_corpus
from opora.formats import FORMATS, UnreadableFile, read_file
from opora.formats.isolation import ReadLimits, read_file_isolated, read_in_child
from opora.formats.workbook import load_sheets

PRODUCTION = ReadLimits(memory_mb=2048, seconds=120)
ONE_GB = 1024
# Phrases of the net's own messages: a hostile file must never get that far.
NET_PHRASES = ("не хватило памяти", "не закончилось", "аварийно", "внутренняя ошибка",
               "остановлена системой")
CYRILLIC = re.compile("[а-яё]", re.I)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, realdata: Path) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("hostile"), realdata)


def test_every_reader_answers_every_hostile_file_in_russian_and_under_a_gigabyte(
        corpus: dict[str, Path], subtests: pytest.Subtests) -> None:
    for name, path in corpus.items():
        for format_ in FORMATS:
            with subtests.test(file=name, format=format_):
                answer = read_in_child(path, format_, limits=PRODUCTION)
                assert answer.peak_mb > 0, "the child answered"  # it did not die
                assert answer.peak_mb < ONE_GB, f"{answer.peak_mb:.0f} MB"
                if answer.result is None:
                    assert CYRILLIC.search(answer.reason), answer.reason
                    assert path.name in answer.reason, answer.reason
                    assert not any(p in answer.reason for p in NET_PHRASES), answer.reason


def test_bombs_are_refused_before_any_reader_opens_them(corpus: dict[str, Path]) -> None:
    # In this very process, without the child: if the check did not come first, calamine would
    # abort the test run (a 1.5 KB file asking for 550 GB).
    for name, word in EXPECTED_REFUSAL.items():
        with pytest.raises(UnreadableFile, match=word):
            read_file(corpus[name])


def test_the_refusal_names_the_sheet_and_the_far_cell(corpus: dict[str, Path]) -> None:
    with pytest.raises(UnreadableFile) as refused:
        load_sheets(corpus["wide_and_tall"])
    message = str(refused.value).replace("\u00a0", " ")  # numbers are grouped by no-break spaces
    assert "лист «Лист1»: 200 000 строк × 26 столбцов, до ячейки Z200000" in message
    with pytest.raises(UnreadableFile) as refused:
        load_sheets(corpus["huge_row_number"])
    assert "в строке 4 294 967 295, столбце 1" in str(refused.value).replace("\u00a0", " ")


def test_files_within_the_limits_are_read_as_they_are(corpus: dict[str, Path]) -> None:
    tall = load_sheets(corpus["million_rows_one_column"])[0]
    assert (len(tall.rows), tall.rows[-1]) == (1_048_576, [1.0])
    wide = load_sheets(corpus["far_column_one_row"])[0]
    assert (len(wide.rows[0]), wide.rows[0][0], wide.rows[0][-1]) == (16_384, 1.0, 1.0)


def test_rows_and_cells_without_references_follow_each_other(corpus: dict[str, Path]) -> None:
    sheet = load_sheets(corpus["rows_without_references"])[0]
    assert len(sheet.rows) == 50
    assert sheet.rows[0] == [0.0, 1.0] and sheet.rows[49] == [49.0, 50.0]


def test_external_entities_are_never_resolved(corpus: dict[str, Path]) -> None:
    try:
        sheets = load_sheets(corpus["external_entity"])
    except UnreadableFile:
        return  # refused whole: nothing read, nothing leaked
    text = repr([sheet.rows for sheet in sheets])
    assert "root:" not in text


def _with_styled_far_cell(source: Path, target: Path) -> Path:
    """The same workbook with Excel's «whole sheet formatted» marks: the dimension set to
    A1:XFD1048576 and a styled empty cell there (what selecting whole columns leaves)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                data = data.replace(b"</sheetData>",
                                    b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')
            new.writestr(info, data)
    return target


def test_a_sheet_formatted_to_its_last_cell_is_still_read(realdata: Path, tmp_path: Path) -> None:
    original = realdata / "vpr_protocol_form.xlsx"
    formatted = _with_styled_far_cell(original, tmp_path / "vpr_protocol_form.xlsx")
    assert b"XFD1048576" in zipfile.ZipFile(formatted).read("xl/worksheets/sheet1.xml")
    hints = {"school_key": "edu000001", "subject": "rus", "grade": 4, "year": 2024}
    from opora.formats import ReadHints

    before = read_file(original, hints=ReadHints(**hints))
    after = read_file(formatted, hints=ReadHints(**hints))
    assert after.format == "vpr-form"
    assert after.tables["results"].equals(before.tables["results"])


# --- the net under the checks ---------------------------------------------------------------------

def _repeated_cells_ods(path: Path, rows: int, columns: int) -> Path:
    """An OpenDocument sheet of one cell repeated rows × columns times (a few hundred bytes)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
        f'table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
        '<text:p>1</text:p></table:table-cell></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
    return path


_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
             'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path='
             '"/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
             '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
             '"text/xml"/></manifest:manifest>')


def test_a_reader_that_aborts_for_memory_becomes_a_message_and_the_caller_lives(
        tmp_path: Path) -> None:
    bomb = _repeated_cells_ods(tmp_path / "repeated.ods", 20_000, 1_000)  # 20 M cells, 0.6 GB
    with pytest.raises(UnreadableFile) as refused:
        read_file_isolated(bomb, limits=ReadLimits(memory_mb=256, seconds=120))
    assert str(refused.value).startswith("файл repeated.ods не удалось прочитать: для чтения "
                                         "не хватило памяти (предел 256 МБ)")
    # the caller goes on: the next file reads normally
    small = _repeated_cells_ods(tmp_path / "small.ods", 3, 3)
    assert read_in_child(small, limits=PRODUCTION).peak_mb > 0


def test_a_reader_that_runs_out_of_time_is_stopped_with_a_message(tmp_path: Path) -> None:
    bomb = _repeated_cells_ods(tmp_path / "slow.ods", 20_000, 1_000)
    answer = read_in_child(bomb, limits=ReadLimits(memory_mb=4096, seconds=0.5))
    assert answer.result is None
    assert answer.reason == ("файл slow.ods не удалось прочитать: чтение не закончилось за 0,5 с "
                             "— файл слишком сложен или повреждён; ничего не сохранено")


# --- generated sheets -----------------------------------------------------------------------------

_HEADERS = {
    "none": [],
    "results": [["school_key", "procedure", "year", "grade", "subject", "participant_code",
                 "absent", "primary_score", "mark"]],
    "aggregates": [["Школа (код)", "Процедура", "Год", "Класс", "Предмет", "Приняли участие",
                    "Средний балл"]],
    "context": [["Школа (код)", "Учебный год (год начала)", "Обучающихся, чел.",
                 "Неполные семьи, %", "Обучающиеся с ОВЗ, %"]],
    "ege": [["Наименование ОО", "Русский язык", None, None],
            [None, "Приняли участие", "Не преодолели минимальный порог", "Средний тестовый балл"]],
}
_CELL = st.one_of(
    st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.sampled_from(["", " ", "—", "отсутствовал", "н/я", "2", "100,5",
                                           "=SUM(A1:A2)", "1e308", "-0", "№ 5", "2024"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.sampled_from(sorted(_HEADERS)),
       rows=st.lists(st.lists(_CELL, min_size=1, max_size=12), max_size=12),
       suffix=st.sampled_from([".xlsx", ".csv"]))
def test_any_generated_sheet_gives_a_result_or_a_russian_message(
        header: str, rows: list[list[object]], suffix: str) -> None:
    grid = [*_HEADERS[header], *rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"generated{suffix}"
        if suffix == ".xlsx":
            workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                                       "strings_to_numbers": False})
            sheet = workbook.add_worksheet("Данные")
            for r, row in enumerate(grid):
                for c, value in enumerate(row):
                    if value is not None:
                        sheet.write(r, c, value)
            workbook.close()
        else:
            path.write_text("\n".join(";".join("" if v is None else str(v).replace(";", ",")
                                               .replace("\n", " ") for v in row) for row in grid),
                            encoding="utf-8")
        try:
            result = read_file(path)
        except UnreadableFile as exc:
            assert CYRILLIC.search(str(exc)), str(exc)
            return
        for problem in result.problems:
            assert CYRILLIC.search(problem.message), problem.message
