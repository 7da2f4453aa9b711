"""The effectiveness estimator on tiny hand-computed differences-in-differences."""

from __future__ import annotations

import pytest

from opora.engine.effectiveness import (
    MIN_CONTROLS,
    Gap,
    estimate,
    school_year_gaps,
    sentence,
)


def _gaps(table: dict[int, tuple[float, float, float, float]]) -> dict:
    """school → gaps of 2022 (before), 2023 (entry year), 2024, 2025 (the two years after)."""
    rows = [Gap(s, "VPR", "rus", 2022 + i, g, 20) for s, gs in table.items()
            for i, g in enumerate(gs)]
    return school_year_gaps(rows)


def test_the_effect_is_the_entered_schools_change_minus_their_matches_change() -> None:
    # entered 1–5: gap −10 in 2023, then −6 and −4 (mean −5) → change +5 each;
    # controls 11–25: the same −10 in 2023 → −9, −9 → change +1 each. Effect 5 − 1 = 4, sd 0.
    table = {s: (-10.0, -10.0, -6.0, -4.0) for s in range(1, 6)}
    table |= {s: (-10.0, -10.0, -9.0, -9.0) for s in range(11, 26)}
    e = estimate(_gaps(table), {s: 2023 for s in range(1, 6)}, set(range(11, 26)), {}, 2023)
    assert (e.treated, e.controls) == (5, 15)
    assert e.treated_change == pytest.approx(5.0)
    assert e.control_change == pytest.approx(1.0)
    assert e.effect == pytest.approx(4.0)
    assert e.low == pytest.approx(4.0) and e.high == pytest.approx(4.0)
    assert e.detected


def test_matching_picks_the_controls_nearest_in_prior_results() -> None:
    # entered 1–5 at −20 (2022, 2023), change +4. Controls 11–13 also at −20, change +2;
    # controls 14–25 at +10, change −3. The 3 nearest are 11–13: effect 4 − 2 = 2 (not 4 − (−1,9)).
    table = {s: (-20.0, -20.0, -16.0, -16.0) for s in range(1, 6)}
    table |= {s: (-20.0, -20.0, -18.0, -18.0) for s in (11, 12, 13)}
    table |= {s: (10.0, 10.0, 7.0, 7.0) for s in range(14, 26)}
    e = estimate(_gaps(table), {s: 2023 for s in range(1, 6)}, set(range(11, 26)), {}, 2023)
    assert e.effect == pytest.approx(2.0)


def test_the_interval_is_a_t_interval_over_the_differences() -> None:
    # changes of the entered: +2, +4, +6, +8, +10 (mean 6, sd √10); controls: 0 → effect 6,
    # half-width t(0,975; 4) · √10 / √5 = 2,7764 · 1,4142 = 3,9265
    table = {s: (-10.0, -10.0, -10.0 + 2 * s, -10.0 + 2 * s) for s in range(1, 6)}
    table |= {s: (-10.0, -10.0, -10.0, -10.0) for s in range(11, 26)}
    e = estimate(_gaps(table), {s: 2023 for s in range(1, 6)}, set(range(11, 26)), {}, 2023)
    assert e.effect == pytest.approx(6.0)
    assert e.high - e.effect == pytest.approx(3.9265, abs=1e-3)


def test_too_few_schools_give_no_number_but_words() -> None:
    table = {s: (-10.0, -10.0, -6.0, -4.0) for s in range(1, 4)}
    table |= {s: (-10.0, -10.0, -9.0, -9.0) for s in range(11, 11 + MIN_CONTROLS)}
    e = estimate(_gaps(table), {1: 2023, 2: 2023, 3: 2023}, set(range(11, 21)), {}, 2023)
    assert e.effect is None and not e.detected
    assert sentence(e).startswith("Недостаточно данных")


def test_an_interval_across_zero_is_said_to_show_no_effect_not_that_there_is_none() -> None:
    table = {s: (-10.0, -10.0, -10.0 + (4 if s % 2 else -4), -10.0) for s in range(1, 7)}
    table |= {s: (-10.0, -10.0, -10.0, -10.0) for s in range(11, 26)}
    e = estimate(_gaps(table), {s: 2023 for s in range(1, 7)}, set(range(11, 26)), {}, 2023)
    assert e.low < 0 < e.high
    assert "не показывают эффекта" in sentence(e)
