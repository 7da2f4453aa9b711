"""The XLSX export of a school list with flags, read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from opora.web.core.exports import flags_to_xlsx

EVIDENCE_A = "Средний процент выполнения 41,2 % при региональном 55,0 % (ВПР, математика, 5 класс)"
FLAGS = [
    {"school_key": "s2", "school_name": "МОУ СОШ № 2", "municipality": "Северный",
     "flag": "low_results", "year": 2024, "evidence": EVIDENCE_A},
    {"school_key": "s2", "school_name": "МОУ СОШ № 2", "municipality": "Северный",
     "flag": "adverse_context", "year": 2024, "evidence": "Индекс контекста 1,35 (5-й квинтиль)"},
    {"school_key": "s1", "school_name": "Лицей № 1", "municipality": "Северный",
     "flag": "leader", "year": 2024, "evidence": "Выше региона на 9,1 п. п."},
    {"school_key": "a9", "school_name": "Гимназия", "municipality": "Андреевский",
     "flag": "non_objective", "year": 2023, "evidence": "Отметка выше четвертной у 41 %"},
]
MEASURES = {"s2": {"participants": 27, "mean_pct": 41.2, "mean_score": 12.5, "gap_pct": -13.8},
            "s1": {"participants": 64, "mean_pct": 64.1}}


def _book(rows: list[dict[str, Any]], **options: Any) -> openpyxl.Workbook:
    data = flags_to_xlsx(rows, title="ШНОР и ШНСУ: Северный район", run_label="расчёт № 7",
                         generated=date(2025, 3, 5), **options)
    return openpyxl.load_workbook(io.BytesIO(data))


def _table(sheet: Worksheet) -> list[dict[str, Any]]:
    """Rows below the header (row 5) as dicts by header name."""
    header = [c.value for c in sheet[5]]
    return [dict(zip(header, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=6)]


def test_header_block_names_the_list_the_run_and_the_date() -> None:
    sheet = _book(FLAGS)["Школы"]
    assert [sheet[f"A{i}"].value for i in (1, 2, 3)] == [
        "ШНОР и ШНСУ: Северный район", "Расчёт: расчёт № 7", "Сформировано: 05.03.2025"]


def test_one_row_per_school_with_a_yes_under_each_of_its_flags() -> None:
    rows = _table(_book(FLAGS)["Школы"])
    assert [r["Школа"] for r in rows] == ["Гимназия", "Лицей № 1", "МОУ СОШ № 2"]
    flags = {r["Школа"]: {k for k, v in r.items() if v == "да"} for r in rows}
    assert flags == {"Гимназия": {"Признаки необъективности"}, "Лицей № 1": {"Лидер"},
                     "МОУ СОШ № 2": {"ШНОР", "ШНСУ"}}
    assert rows[2]["Обоснование"] == (f"ШНОР (2024): {EVIDENCE_A}\n"
                                      "ШНСУ (2024): Индекс контекста 1,35 (5-й квинтиль)")


def test_measures_are_numbers_whose_format_shows_the_unit() -> None:
    sheet = _book(FLAGS, measures=MEASURES)["Школы"]
    header = [c.value for c in sheet[5]]
    row = next(r for r in sheet.iter_rows(min_row=6) if r[1].value == "МОУ СОШ № 2")
    cell = {name: row[header.index(name)] for name in (
        "Участников", "Средний результат, % от максимума", "Средний балл",
        "Разница с регионом, п. п.")}
    assert [c.value for c in cell.values()] == [27, 41.2, 12.5, -13.8]
    assert [c.number_format for c in cell.values()] == [
        '0" чел."', '0.0" %"', '0.0" б."', '+0.0" п. п.";-0.0" п. п.";0.0" п. п."']
    gymnasium = next(r for r in sheet.iter_rows(min_row=6) if r[1].value == "Гимназия")
    assert gymnasium[header.index("Участников")].value is None


def test_measure_columns_are_left_out_when_no_school_has_them() -> None:
    header = [c.value for c in _book(FLAGS)["Школы"][5]]
    assert header[:5] == ["№", "Школа", "Муниципалитет", "Код школы", "ШНОР"]


def test_header_is_frozen_filtered_and_columns_are_widened() -> None:
    sheet = _book(FLAGS)["Школы"]
    last_column = sheet.cell(5, sheet.max_column).column_letter
    assert sheet.freeze_panes == "C6"
    assert sheet.auto_filter.ref == f"A5:{last_column}8"
    assert sheet.column_dimensions["B"].width >= 42
    assert sheet[f"{last_column}5"].value == "Обоснование"
    assert sheet.column_dimensions[last_column].width >= 90


def test_evidence_sheet_has_one_row_per_school_flag_and_year() -> None:
    sheet = _book(FLAGS)["Обоснования"]
    rows = [(r["Школа"], r["Отметка"], r["Год"], r["Обоснование"]) for r in _table(sheet)]
    assert rows == [
        ("Гимназия", "Признаки необъективности", 2023, "Отметка выше четвертной у 41 %"),
        ("Лицей № 1", "Лидер", 2024, "Выше региона на 9,1 п. п."),
        ("МОУ СОШ № 2", "ШНОР", 2024, EVIDENCE_A),
        ("МОУ СОШ № 2", "ШНСУ", 2024, "Индекс контекста 1,35 (5-й квинтиль)"),
    ]
    assert sheet.freeze_panes == "B6" and sheet.auto_filter.ref == "A5:F9"


def test_a_name_that_looks_like_a_formula_stays_text() -> None:
    rows = [{"school_key": "x", "school_name": "=HYPERLINK(\"http://evil\")",
             "municipality": "", "flag": "risk_zone", "year": 2024, "evidence": "=1+1"}]
    sheet = _book(rows)["Школы"]
    assert sheet["B6"].value == "=HYPERLINK(\"http://evil\")"
    assert sheet["B6"].data_type == "s"
    evidence = _book(rows)["Обоснования"]["F6"]
    assert (evidence.value, evidence.data_type) == ("=1+1", "s")


def test_a_flag_the_export_does_not_know_gets_its_own_column_under_its_code() -> None:
    rows = [{"school_key": "x", "school_name": "Школа", "municipality": "", "flag": "new_sign",
             "year": 2024, "evidence": "…"}]
    (row,) = _table(_book(rows)["Школы"])
    assert row["new_sign"] == "да"
