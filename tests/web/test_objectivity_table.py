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
    assert cells["term"] == {"value": 12.5, "text": "", "fired": False}
    assert cells["inversion"] == {"value": -0.4, "text": "", "fired": True}
    assert [c for c in codes if cells[c] is None] == ["boundary", "cohort", "unconfirmed",
                                                       "marker"]


def test_works_with_a_fired_sign_come_first_then_the_newest_year() -> None:
    table = objectivity_table([_sign("Математика", 2023, "term", 1.0, False),
                               _sign("Русский язык", 2022, "marker", None, True, "5 РУ"),
                               _sign("Математика", 2024, "term", 2.0, False)])
    assert [(r["work"], r["year"]) for r in table["rows"]] == [
        ("ВПР, русский язык, 5 класс", 2022), ("ВПР, математика, 5 класс", 2024),
        ("ВПР, математика, 5 класс", 2023)]
