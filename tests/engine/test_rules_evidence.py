"""Numbers in evidence are written as in Russian documents."""

from __future__ import annotations

import pytest

from opora.engine.evidence import cell_name, num


@pytest.mark.parametrize(("value", "signed", "text"), [
    (-7.36, False, "−7,4"), (7.36, True, "+7,4"), (-0.04, True, "0,0"), (0.0, True, "0,0"),
    (61.56, False, "61,6"), (float("nan"), False, "н/д"),
])
def test_numbers_use_a_decimal_comma_and_a_real_minus(value: float, signed: bool,
                                                      text: str) -> None:
    assert num(value, signed=signed) == text


def test_a_cell_is_named_by_procedure_subject_grade_and_year() -> None:
    assert cell_name("EGE", "rus", 11, 2023) == "ЕГЭ, русский язык, 11 класс, 2023"
    assert cell_name("EGE", "math_profile", 11, 2023) == "ЕГЭ, математика (профиль), 11 класс, 2023"
