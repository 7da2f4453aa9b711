"""Numbers in pages: a decimal comma and a real minus, as the evidence sentences print them."""

from __future__ import annotations

from django.template import Context, Template

from opora.web.core.numbers import number_text


def test_a_negative_difference_gets_a_real_minus_and_a_decimal_comma() -> None:
    assert number_text(-7.36) == "\u22127,4"


def test_a_missing_value_is_a_dash_whatever_form_it_comes_in() -> None:
    assert [number_text(v) for v in (None, "", float("nan"), float("inf"), "не число")] == ["—"] * 5


def test_a_value_that_rounds_to_zero_has_no_minus() -> None:
    assert number_text(-0.04) == "0,0"


def test_negative_digits_drop_trailing_zeros_like_floatformat_minus_one() -> None:
    assert (number_text(12.0, -1), number_text(12.5, -1), number_text(0.25, -2)) == ("12", "12,5", "0,25")


def test_two_decimals_round_half_to_even_like_python_format() -> None:
    assert number_text(0.125, 2) == "0,12" and number_text(1.0 / 3, 2) == "0,33"


def test_every_template_has_the_filter_without_loading_it() -> None:
    html = Template("{{ a|num }} {{ b|num:2 }} {{ c|num }}").render(
        Context({"a": -15.08, "b": 0.5, "c": None}))
    assert html == "\u221215,1 0,50 —"
