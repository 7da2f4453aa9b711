"""Each indicator formula against the hand-made school year of ``monitoring_data.py``: the
expected numbers are counted by hand in the comments."""

from __future__ import annotations

from monitoring_data import event, school_year
from personas import PersonaTestCase

from opora.web.monitoring.selectors import municipal_values_by_year, school_values_by_year


class SchoolIndicatorTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t = school_year(cls)

    def values(self, year: int) -> dict:
        return school_values_by_year([self.a], [year])[(self.a.pk, year)]

    def test_teachers_covered_counts_the_present_at_held_events_over_the_staff(self) -> None:
        v = self.values(2025)["school_teachers_covered_pct"]
        # 2025: T1 (seminar), T3 (visit); T2 absent, T4's round table cancelled; staff T1–T5
        self.assertEqual((v.numerator, v.denominator), (2, 5))
        self.assertAlmostEqual(v.value, 40.0)
        self.assertEqual(self.values(2025)["school_teachers_covered"].value, 2)

    def test_a_year_counts_its_own_staff_and_events(self) -> None:
        v = self.values(2024)["school_teachers_covered_pct"]
        # 2024: only T1's seminar; T6 still on the staff on 31.12.2024 → 1 of 6
        self.assertEqual((v.numerator, v.denominator), (1, 6))

    def test_help_in_school_is_visits_and_help_of_methodists_is_their_events(self) -> None:
        values = self.values(2025)
        self.assertEqual(values["school_teachers_help_in_school"].facts, {self.t["T3"].pk})
        self.assertEqual(values["school_teachers_help_methodists"].facts, {self.t["T3"].pk})

    def test_diagnosed_and_competence_growth_follow_the_staff_rule(self) -> None:
        values = self.values(2025)
        d, g = values["share_teachers_diagnosed"], values["share_teachers_competence_growth"]
        self.assertEqual((d.numerator, d.denominator), (2, 5))  # T1, T2 of 5
        self.assertEqual((g.numerator, g.denominator), (1, 1))  # T1: 50 % → 60 %, +10 p. p.
        # 2024: only T1's first diagnostic: diagnosed 1 of 6, no pair to compare
        old = self.values(2024)
        self.assertEqual(old["share_teachers_diagnosed"].numerator, 1)
        self.assertIsNone(old["share_teachers_competence_growth"].value)

    def test_network_teachers_are_community_members_and_mentees_of_other_schools(self) -> None:
        values = self.values(2025)
        self.assertEqual(values["school_teachers_network"].facts,
                         {self.t["T4"].pk, self.t["T5"].pk})
        self.assertEqual(values["school_teachers_codeveloping"].facts, {self.t["T4"].pk})
        self.assertEqual(values["school_network_partnership"].numerator, 1)

    def test_teachers_positive_results_compare_their_subjects_gap_with_last_year(self) -> None:
        v = self.values(2025)["school_teachers_positive_results"]
        # русский −10 → −8 (T1, T2 improved), математика −6 → −7 (T3 not); T4, T5: no results
        self.assertEqual(v.facts, {self.t["T1"].pk, self.t["T2"].pk})
        self.assertEqual(v.denominator, 3)

    def test_measures_without_a_roadmap_have_no_value(self) -> None:
        self.assertIsNone(self.values(2025)["school_measures_done"].value)

    def test_a_new_seminar_changes_the_covered_share_by_one_teacher(self) -> None:
        event(self.a, "2025-09-01", "seminar", "methodist", [self.t["T5"]])
        v = self.values(2025)["school_teachers_covered_pct"]
        self.assertEqual((v.numerator, v.denominator), (3, 5))  # 40 % → 60 %


class MunicipalIndicatorTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t = school_year(cls)

    def test_municipal_indicators_count_over_the_official_list(self) -> None:
        values, listed = municipal_values_by_year(self.first, [2025])
        v = values[2025]
        self.assertEqual(listed[2025][1], [self.a.pk])
        self.assertEqual((v["low_teachers_covered"].numerator,
                          v["low_teachers_covered"].denominator), (2, 5))
        self.assertEqual(v["low_schools_covered"].value, 1)
        self.assertEqual(v["low_schools_in_network"].value, 1)
        self.assertEqual(v["low_schools_curator_help"].value, 0)
        self.assertEqual(v["low_schools_methodist_help"].value, 1)
        self.assertEqual(v["low_schools_gatherings"].value, 1)  # the seminar

    def test_low_results_share_weighs_works_by_participants(self) -> None:
        v = municipal_values_by_year(self.first, [2025])[0][2025]["low_results_vpr"]
        # 25 % of 20 = 5, 10 % of 30 = 3 → 8 of 50 = 16 %
        self.assertEqual((v.numerator, v.denominator), (8, 50))
        self.assertAlmostEqual(v.value, 16.0)

    def test_positive_dynamics_compares_the_weighted_gap_with_last_year(self) -> None:
        v = municipal_values_by_year(self.first, [2025])[0][2025][
            "share_low_results_with_positive_dynamics"]
        # 2024: (−10·20 − 6·30) / 50 = −7,6; 2025: (−8·20 − 7·30) / 50 = −7,4 → up: 1 of 1
        self.assertEqual((v.numerator, v.denominator), (1, 1))
