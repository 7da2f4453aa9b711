"""The share-failing rule (docs/methodology.md §3, `[threshold_rule]`) at each of its edges.

Share of «2» (ЕГЭ: below the minimum threshold) ≥ 30 % on ≥ 2 works in the last year and in the
year before. The schools here are all in one municipality with no region total, so no cell has a
regional value and the gap rule cannot fire. The rule has its own flag, ``failing_share``, since
issue 12 (it was a second ``low_results``).
"""

from __future__ import annotations

import pytest
from boundary_data import ege, evidence, flags, rules_with, run
from rules_data import student_cell


def _work(school: str, year: int, failing: int, n: int = 100, subject: str = "rus",
          grade: int = 4, **extra: object) -> dict[str, object]:
    """A ВПР work with ``failing`` marks «2» of ``n``."""
    return student_cell(school, [50.0] * n, subject=subject, grade=grade, year=year,
                        mark_2=failing, **extra)


def _two_works(school: str, year: int, failing: tuple[int, int], n: int = 100,
               **extra: object) -> list[dict[str, object]]:
    return [_work(school, year, failing[0], n, "rus", **extra),
            _work(school, year, failing[1], n, "math", **extra)]


@pytest.mark.parametrize(("failing", "fires"), [
    (30, True),   # 30 of 100 = 30,0 % ≥ 30 %: counts (exactly at the threshold)
    (29, False),  # 29 of 100 = 29,0 % < 30 %
])
def test_a_work_counts_from_exactly_the_threshold_share(failing: int, fires: bool) -> None:
    rows = [*_two_works("A", 2023, (failing, 40)), *_two_works("A", 2024, (40, 40))]
    _, _, _, result = run(rows, None)
    assert ("failing_share" in flags(result)) is fires


def test_a_work_of_three_in_ten_is_exactly_thirty_percent() -> None:
    # 3/10 · 100 = 30 % (as a float 30,000000000000004): at the threshold, counts
    rows = [*_two_works("A", 2023, (3, 3), n=10), *_two_works("A", 2024, (3, 3), n=10)]
    _, _, _, result = run(rows, None)
    assert flags(result) == {"failing_share"}
    assert "30,0 % при участниках 10" in evidence(result, "failing_share")


def test_the_share_threshold_is_configurable() -> None:
    # share_pct = 40: 35 % no longer counts, 40 % does
    rules = rules_with(threshold_rule={"share_pct": 40.0})
    below = [*_two_works("A", 2023, (35, 45)), *_two_works("A", 2024, (45, 45))]
    at = [*_two_works("B", 2023, (40, 45)), *_two_works("B", 2024, (45, 45))]
    _, _, _, result = run(below + at, None, rules)
    assert flags(result, "A") == set()
    assert flags(result, "B") == {"failing_share"}
    assert "не менее 40,0 %" in evidence(result, "failing_share", "B")


def test_the_rule_needs_two_works_in_each_of_the_two_years() -> None:
    # 2023: only one work ≥ 30 % (Russian 40 %, mathematics 20 %); 2024: two works → no flag.
    one_then_two = [*_two_works("A", 2023, (40, 20)), *_two_works("A", 2024, (40, 40))]
    # 2023 two works, 2024 one work → no flag either (the last year needs it too)
    two_then_one = [*_two_works("B", 2023, (40, 40)), *_two_works("B", 2024, (40, 20))]
    both = [*_two_works("C", 2023, (40, 40)), *_two_works("C", 2024, (40, 40))]
    _, _, _, result = run(one_then_two + two_then_one + both, None)
    assert flags(result, "A") == set()
    assert flags(result, "B") == set()
    assert flags(result, "C") == {"failing_share"}


def test_min_procedures_is_the_number_of_works_needed_in_a_year() -> None:
    # min_procedures = 1: one work ≥ 30 % in each year is enough; = 3: two are not
    rows = [*_two_works("A", 2023, (40, 20)), *_two_works("A", 2024, (20, 40))]
    _, _, _, one = run(rows, None, rules_with(threshold_rule={"min_procedures": 1}))
    assert flags(one) == {"failing_share"}
    rows3 = [*_two_works("B", 2023, (40, 40)), *_two_works("B", 2024, (40, 40))]
    _, _, _, three = run(rows3, None, rules_with(threshold_rule={"min_procedures": 3}))
    assert flags(three, "B") == set()


def test_the_years_must_be_consecutive_and_end_with_the_last_year() -> None:
    # 2022 and 2024 with two works each, 2023 none → no flag; with consecutive_years = 1 the
    # last year alone is enough; with 3, the three years 2022–2024 are all needed.
    gap_year = [*_two_works("A", 2022, (40, 40)), *_two_works("A", 2023, (0, 0)),
                *_two_works("A", 2024, (40, 40))]
    _, _, _, result = run(gap_year, None)
    assert flags(result) == set()
    _, _, _, last_only = run(gap_year, None, rules_with(threshold_rule={"consecutive_years": 1}))
    assert flags(last_only) == {"failing_share"}
    assert "в каждом из лет 2024" in evidence(last_only, "failing_share")
    all_three = [*_two_works("B", 2022, (40, 40)), *_two_works("B", 2023, (40, 40)),
                 *_two_works("B", 2024, (40, 40))]
    _, _, _, three = run(gap_year + all_three, None,
                         rules_with(threshold_rule={"consecutive_years": 3}))
    assert flags(three, "A") == set()
    assert flags(three, "B") == {"failing_share"}


def test_works_with_fewer_than_min_participants_are_not_counted() -> None:
    # n = 5 (= identification.min_participants): 2 of 5 = 40 % counts; n = 4: 2 of 4 = 50 % does not
    five = [*_two_works("A", 2023, (2, 2), n=5), *_two_works("A", 2024, (2, 2), n=5)]
    four = [*_two_works("B", 2023, (2, 2), n=4), *_two_works("B", 2024, (2, 2), n=4)]
    _, _, _, result = run(five + four, None)
    assert flags(result, "A") == {"failing_share"}
    assert flags(result, "B") == set()


def test_ege_below_the_minimum_threshold_counts_as_failing() -> None:
    # ЕГЭ has no marks: 3 of 10 «не преодолели минимальный порог» = 30 % in Russian and in
    # profile mathematics, both years → the rule fires
    rows = [ege("A", 10, 55.0, year=y, subject=s, below_threshold=3)
            for y in (2023, 2024) for s in ("rus", "math_profile")]
    _, _, _, result = run(rows, None)
    assert flags(result) == {"failing_share"}
    assert "ЕГЭ, русский язык, 11 класс, 2024: доля «2» / не преодолевших минимальный порог 30,0 %" \
        in evidence(result, "failing_share")
    # 2 of 10 below the minimum (20 %) → no
    rows2 = [ege("B", 10, 55.0, year=y, subject=s, below_threshold=2)
             for y in (2023, 2024) for s in ("rus", "math_profile")]
    _, _, _, result2 = run(rows2, None)
    assert flags(result2, "B") == set()


def test_the_larger_of_marks_2_and_below_threshold_is_the_failing_count() -> None:
    # mark_2 = 2 (20 %) but below_threshold = 3 (30 %): the larger counts → fires;
    # mark_2 = 3, below_threshold = 2 → also 30 %
    rows = [_work("A", y, 2, n=10, subject=s, below_threshold=3)
            for y in (2023, 2024) for s in ("rus", "math")]
    rows += [_work("B", y, 3, n=10, subject=s, below_threshold=2)
             for y in (2023, 2024) for s in ("rus", "math")]
    _, _, _, result = run(rows, None)
    assert flags(result, "A") == {"failing_share"}
    assert flags(result, "B") == {"failing_share"}


def test_only_identification_subjects_count_and_the_rule_can_be_switched_off() -> None:
    # Russian 40 % and physics 40 %: physics is not an identification subject → one work a year
    rows = [ege("A", 10, 55.0, year=y, subject=s, below_threshold=4)
            for y in (2023, 2024) for s in ("rus", "phys")]
    rows += [*_two_works("B", 2023, (40, 40)), *_two_works("B", 2024, (40, 40))]
    _, _, _, result = run(rows, None)
    assert flags(result, "A") == set()
    assert flags(result, "B") == {"failing_share"}
    _, _, _, off = run(rows, None, rules_with(threshold_rule={"enabled": False}))
    assert flags(off, "B") == set()


def test_the_evidence_lists_every_work_with_its_share_and_participants() -> None:
    rows = [*_two_works("A", 2023, (31, 45)), *_two_works("A", 2024, (50, 60))]
    _, _, _, result = run(rows, None)
    text = evidence(result, "failing_share")
    assert text.startswith("Правило доли неудовлетворительных результатов: не менее 30,0 % не "
                           "менее чем по 2 процедурам в каждом из лет 2023, 2024. ")
    for share in ("31,0", "45,0", "50,0", "60,0"):
        assert f"{share} % при участниках 100" in text
    assert "ВПР, русский язык, 4 класс, 2023" in text
