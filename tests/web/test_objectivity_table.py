"""The card's signs of non-objectivity as a table: a row per work, a column per sign."""

from __future__ import annotations

from typing import Any

from opora.web.analysis.labels import OBJECTIVITY_SIGNS
from opora.web.analysis.selectors import objectivity_table


def _sign(subject: str, year: int, sign: str, value: float | None, fired: bool,
          text: str = "") -> dict[str, Any]:
    return {"procedure_name": "ВПР", "subject_name": subject, "grade": 5, "year": year,
            "sign": sign, "value": value, "text": text, "fired": fired}


def test_each_work_is_one_row_with_its_signs_in_their_columns_and_the_rest_empty() -> None:
    table = objectivity_table([_sign("Математика", 2024, "term", 12.5, False),
                               _sign("Математика", 2024, "inversion", -0.4, True)])
    codes = [code for code, _, _ in table["signs"]]
    assert codes == list(OBJECTIVITY_SIGNS)
    [row] = table["rows"]
    assert (row["work"], row["year"], row["fired"]) == ("ВПР, математика, 5 класс", 2024, True)
    cells = dict(zip(codes, row["cells"], strict=True))
    assert cells["term"] == {"value": 12.5, "text": "", "fired": False, "shown": "12,5 %"}
    assert cells["inversion"] == {"value": -0.4, "text": "", "fired": True,
                                  "shown": "r = \u22120,40"}
    assert [c for c in codes if cells[c] is None] == ["boundary", "cohort", "unconfirmed",
                                                       "marker"]


def test_works_with_a_fired_sign_come_first_then_the_newest_year() -> None:
    table = objectivity_table([_sign("Математика", 2023, "term", 1.0, False),
                               _sign("Русский язык", 2022, "marker", None, True, "5 РУ"),
                               _sign("Математика", 2024, "term", 2.0, False)])
    assert [(r["work"], r["year"]) for r in table["rows"]] == [
        ("ВПР, русский язык, 5 класс", 2022), ("ВПР, математика, 5 класс", 2024),
        ("ВПР, математика, 5 класс", 2023)]


def test_each_value_is_shown_with_its_unit_and_a_negative_one_with_the_real_minus() -> None:
    table = objectivity_table([_sign("Математика", 2024, "term", 33.333, False),
                               _sign("Математика", 2024, "boundary", 1.016, False),
                               _sign("Математика", 2024, "inversion", -0.894, True),
                               _sign("Математика", 2024, "cohort", -35.29, False),
                               _sign("Математика", 2024, "unconfirmed", 16.89, False,
                                     "(ОГЭ/ЕГЭ: \u22125,3 п. п.)")])
    codes = [c["code"] for c in table["columns"]]
    cells = dict(zip(codes, table["rows"][0]["cells"], strict=True))
    assert [cells[c]["shown"] for c in ("term", "boundary", "inversion", "cohort",
                                        "unconfirmed")] == [
        "33,3 %", "z = 1,02", "r = \u22120,89", "\u221235,3 п. п.", "+16,9 п. п."]


def test_every_column_says_its_unit_in_the_heading_and_what_its_value_means() -> None:
    columns = {c["code"]: c for c in objectivity_table([])["columns"]}
    assert columns["term"]["heading"] == "ВПР выше четвертной, %"
    assert columns["boundary"]["heading"] == "Пик над границей, z"
    assert columns["marker"]["heading"] == "Федеральный маркер"
    assert all(len(c["meaning"]) > 30 for c in columns.values()), columns
