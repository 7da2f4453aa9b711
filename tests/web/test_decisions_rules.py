"""Each recommendation rule on hand-built facts (no database): the numbers in the comments are
the ones the rule must see, on both sides of its threshold."""

from __future__ import annotations

import datetime as dt

from opora.web.decisions.rules import (
    FAILING_SHARE_PCT,
    Cell,
    MunicipalFacts,
    SchoolFacts,
    Sign,
    adverse_context_parents,
    failing_students,
    no_psychologist,
    non_objective,
    quiet_school,
    suggest,
    uncurated,
    weak_subjects,
)

TODAY = dt.date(2025, 5, 20)


def _school(**kw: object) -> SchoolFacts:
    base: dict[str, object] = {"school_id": 1, "name": "СОШ № 1", "category": "ШНОР",
                               "year": 2024}
    base.update(kw)
    return SchoolFacts(**base)  # type: ignore[arg-type]


def _cell(subject: str = "math", *, gap: float = -12.0, high: float = -4.0, year: int = 2024,
          fail: float | None = None, mean: float = 38.0) -> Cell:
    return Cell(procedure="OGE", subject=subject, grade=9, year=year, participants=24,
                mean_pct=mean, region_mean_pct=mean - gap, gap_pct=gap, gap_high_pct=high,
                fail_share_pct=fail)


class TestWeakSubjects:
    def test_a_subject_reliably_below_the_region_goes_to_its_teachers_with_the_numbers(self) -> None:
        # math: school 38 %, region 50 %, gap −12, the interval's top −4 < 0 → weak
        found = weak_subjects(_school(cells=[_cell()]))
        assert [(s.addressee, s.subject, s.rule) for s in found] == [
            ("teachers", "math", "weak_subject")]
        assert "38,0 %" in found[0].basis and "50,0 %" in found[0].basis
        assert "−12,0 п. п." in found[0].basis and "участников 24" in found[0].basis
        assert found[0].numbers["gap_pct"] == -12.0

    def test_a_gap_whose_interval_reaches_zero_is_not_weak(self) -> None:
        # gap −6, the interval's top +1 ≥ 0: not reliably below
        assert weak_subjects(_school(cells=[_cell(gap=-6.0, high=1.0)])) == []

    def test_one_suggestion_per_subject_naming_its_worst_work_and_the_count(self) -> None:
        cells = [_cell(gap=-5.0, high=-0.5), _cell(gap=-15.0, high=-7.0), _cell("rus")]
        found = weak_subjects(_school(cells=cells))
        assert [s.subject for s in found] == ["math", "rus"]
        assert found[0].numbers == {"mean_pct": 38.0, "region_mean_pct": 53.0, "gap_pct": -15.0,
                                    "participants": 24, "weak_cells": 2, "weak_tasks": []}

    def test_the_weak_tasks_of_the_worst_work_are_named_with_both_shares(self) -> None:
        # task 5: the school 32 %, the region 61 %; task 9: 20 % against 44 %
        cell = Cell(procedure="OGE", subject="math", grade=9, year=2024, participants=24,
                    mean_pct=38.0, region_mean_pct=50.0, gap_pct=-12.0, gap_high_pct=-4.0,
                    weak_tasks=(("5", 32.0, 61.0), ("9", 20.0, 44.0)))
        found = weak_subjects(_school(cells=[cell]))
        assert "хуже региона на 15 п. п. и больше: № 5 (32,0 % против 61,0 %), " \
               "№ 9 (20,0 % против 44,0 %)." in found[0].basis
        assert found[0].numbers["weak_tasks"] == ["5", "9"]

    def test_only_the_lists_year_counts(self) -> None:
        assert weak_subjects(_school(cells=[_cell(year=2023)])) == []


class TestFailingShare:
    def test_thirty_percent_of_twos_is_enough(self) -> None:
        # 30 % ≥ 30 % → students
        found = failing_students(_school(cells=[_cell(fail=30.0), _cell("rus", fail=41.7)]))
        assert [(s.addressee, s.numbers["fail_share_pct"], s.numbers["cells"]) for s in found] \
            == [("students", 41.7, 2)]
        assert FAILING_SHARE_PCT == 30.0

    def test_just_below_the_threshold_is_not(self) -> None:
        assert failing_students(_school(cells=[_cell(fail=29.9)])) == []


class TestParents:
    def test_an_adverse_context_school_gets_a_recommendation_to_parents(self) -> None:
        found = adverse_context_parents(_school(category="ШНОР и ШНСУ", low_income_share=27.5,
                                                preventive_share=4.0))
        assert found[0].addressee == "parents"
        assert "из малоимущих семей 27,5 %" in found[0].basis

    def test_a_school_in_ordinary_conditions_does_not(self) -> None:
        assert adverse_context_parents(_school(category="ШНОР")) == []


class TestNonObjective:
    def test_signs_of_non_objectivity_go_to_the_schools_administration(self) -> None:
        signs = [Sign("VPR", "rus", 4, 2024, "boundary", "пик у границы «3»"),
                 Sign("VPR", "math", 5, 2024, "cohort", "обрушение в 5 классе")]
        found = non_objective(_school(signs=signs))
        assert found[0].addressee == "school"
        assert found[0].numbers == {"signs": 2} and "пик у границы «3»" in found[0].basis

    def test_no_signs_no_recommendation(self) -> None:
        assert non_objective(_school()) == []


class TestPsychologist:
    def test_staff_recorded_without_a_psychologist_goes_to_the_psychological_centre(self) -> None:
        # 31 people on the staff, 0 psychologists; 6,5 % on preventive registers
        found = no_psychologist(_school(staff=31, psychologists=0, preventive_share=6.5))
        assert found[0].addressee == "psychological_centre"
        assert "31 чел." in found[0].basis and "6,5 %" in found[0].basis

    def test_one_psychologist_is_enough(self) -> None:
        assert no_psychologist(_school(staff=31, psychologists=1)) == []

    def test_staff_not_recorded_says_nothing(self) -> None:
        assert no_psychologist(_school(staff=0)) == []


class TestQuietSchool:
    def test_sixty_days_without_an_event_goes_to_the_methodical_centre(self) -> None:
        # the last event 21.03.2025, 60 days before 20.05.2025 → quiet
        found = quiet_school(_school(last_event=dt.date(2025, 3, 21)), TODAY)
        assert found[0].addressee == "methodical_centre"
        assert found[0].numbers["days_since_event"] == 60
        assert "21.03.2025, 60 дн. назад" in found[0].basis

    def test_fifty_nine_days_is_not_quiet(self) -> None:
        assert quiet_school(_school(last_event=dt.date(2025, 3, 22)), TODAY) == []

    def test_never_helped_is_quiet(self) -> None:
        found = quiet_school(_school(), TODAY)
        assert found[0].numbers["days_since_event"] is None
        assert "Мероприятий сопровождения не было" in found[0].basis


class TestUncurated:
    def _facts(self, curators: list[int]) -> MunicipalFacts:
        return MunicipalFacts(municipality_id=1, name="Первый", year=2024, as_of=TODAY,
                              schools=[_school(school_id=i, name=f"СОШ № {i}", curators=c)
                                       for i, c in enumerate(curators, start=1)])

    def test_half_the_list_without_a_curator_goes_to_the_department(self) -> None:
        # 2 of 4 without a curator = 50 % ≥ 50 %
        found = uncurated(self._facts([0, 0, 1, 1]))
        assert found[0].addressee == "department" and found[0].school_id is None
        assert found[0].numbers == {"without_curator": 2, "schools": 4, "share_pct": 50.0}

    def test_a_quarter_is_not_enough(self) -> None:
        # 1 of 4 = 25 %
        assert uncurated(self._facts([0, 1, 1, 1])) == []


def test_every_addressee_of_seed_004_can_be_reached_by_some_rule() -> None:
    school = _school(category="ШНОР и ШНСУ", cells=[_cell(fail=35.0)], staff=20,
                     signs=[Sign("VPR", "rus", 4, 2024, "boundary", "пик")])
    facts = MunicipalFacts(municipality_id=1, name="Первый", year=2024, as_of=TODAY,
                           schools=[school])
    found = suggest(facts)
    assert {s.addressee for s in found} == {"teachers", "students", "parents", "school",
                                            "psychological_centre", "methodical_centre",
                                            "department"}
    assert len({s.key for s in found}) == len(found)  # keys tell them apart
