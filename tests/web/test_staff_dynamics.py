"""Competence dynamics, computed by hand on both sides of each condition of the rule
(docs/methodology.md, «Динамика профессиональных компетенций педагогов»)."""

from __future__ import annotations

import datetime

from django.test import TestCase

from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)
from opora.web.staff.dynamics import (
    NEGATIVE,
    NO_CHANGE,
    POSITIVE,
    dynamics_by_teacher,
    school_dynamics,
    teacher_dynamics,
)
from opora.web.staff.models import Teacher, TeacherDiagnostic
from opora.web.staff.services import DomainResult, diagnostic_save

D1, D2, D3 = datetime.date(2024, 10, 15), datetime.date(2025, 4, 15), datetime.date(2025, 5, 5)


class DynamicsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        municipality = municipality_get_or_create(
            region=region_get_or_create(name="Область"), name="Район")
        cls.school = school_create(municipality=municipality, key="S", short_name="СОШ № 9")

    def teacher(self, name: str, **fields: object) -> Teacher:
        return Teacher.objects.create(school=self.school, name=name, **fields)

    def diagnose(self, teacher: Teacher, day: datetime.date, *results: DomainResult,
                 instrument: str = "regional") -> None:
        diagnostic_save(diagnostic=TeacherDiagnostic(teacher=teacher), user=None,
                        results=results, date=day, instrument=instrument, note="")

    def dynamics_of(self, teacher: Teacher) -> object:
        return teacher_dynamics(teacher.diagnostics.prefetch_related("scores"))

    def test_a_rise_of_exactly_five_points_is_growth_and_of_four_and_a_half_is_not(self) -> None:
        grows, stays = self.teacher("Растёт"), self.teacher("Почти")
        self.diagnose(grows, D1, DomainResult("methodical", 10, 20))  # 50 %
        self.diagnose(grows, D2, DomainResult("methodical", 11, 20))  # 55 %: +5,0
        self.diagnose(stays, D1, DomainResult("methodical", 20, 40))  # 50 %
        self.diagnose(stays, D2, DomainResult("methodical", 21.8, 40))  # 54,5 %: +4,5
        self.assertEqual(self.dynamics_of(grows).verdict, POSITIVE)
        self.assertEqual(self.dynamics_of(stays).verdict, NO_CHANGE)

    def test_a_fall_of_five_points_is_a_decline(self) -> None:
        falls = self.teacher("Снижается")
        self.diagnose(falls, D1, DomainResult("digital", 14, 20))  # 70 %
        self.diagnose(falls, D2, DomainResult("digital", 13, 20))  # 65 %: −5,0
        found = self.dynamics_of(falls)
        self.assertEqual((found.verdict, found.change_text), (NEGATIVE, "−5,0 п. п."))

    def test_levels_count_zero_to_three_of_three_and_only_common_domains_compare(self) -> None:
        mixed = self.teacher("Уровни")
        # before: methodical «базовый» 1/3, subject 6/10 → (1 + 6) / 13 = 53,8 %
        self.diagnose(mixed, D1, DomainResult("methodical", level="basic"),
                      DomainResult("subject_domain", 6, 10))
        # after: methodical «повышенный» 2/3, subject 7/10 → 9/13 = 69,2 %; digital not compared
        self.diagnose(mixed, D2, DomainResult("methodical", level="advanced"),
                      DomainResult("subject_domain", 7, 10), DomainResult("digital", 0, 10))
        found = self.dynamics_of(mixed)
        self.assertEqual(found.domains, {"methodical", "subject_domain"})
        self.assertAlmostEqual(found.before_pct, 700 / 13)
        self.assertAlmostEqual(found.after_pct, 900 / 13)
        self.assertEqual(found.verdict, POSITIVE)

    def test_different_instruments_are_never_compared_and_the_most_independent_wins(
            self) -> None:
        apart = self.teacher("Разные инструменты")
        self.diagnose(apart, D1, DomainResult("methodical", 2, 10), instrument="self")
        self.diagnose(apart, D2, DomainResult("methodical", 9, 10), instrument="regional")
        self.assertIsNone(self.dynamics_of(apart))
        both = self.teacher("Две пары")
        self.diagnose(both, D1, DomainResult("methodical", 2, 10), instrument="self")
        self.diagnose(both, D2, DomainResult("methodical", 9, 10), instrument="self")
        self.diagnose(both, D1, DomainResult("methodical", 5, 10), instrument="administration")
        self.diagnose(both, D2, DomainResult("methodical", 5, 10), instrument="administration")
        found = self.dynamics_of(both)
        self.assertEqual((found.instrument, found.verdict), ("administration", NO_CHANGE))

    def test_the_last_two_diagnostics_are_compared(self) -> None:
        three = self.teacher("Три диагностики")
        for day, score in ((D1, 2), (D2, 8), (D3, 8)):
            self.diagnose(three, day, DomainResult("methodical", score, 10))
        found = self.dynamics_of(three)
        self.assertEqual((found.earlier.date, found.later.date, found.verdict),
                         (D2, D3, NO_CHANGE))

    def test_the_school_share_counts_working_teachers_with_a_pair_only(self) -> None:
        grows, once, never = self.teacher("А"), self.teacher("Б"), self.teacher("В")
        left = self.teacher("Г", active_to=datetime.date(2024, 12, 31))
        for teacher in (grows, left):
            self.diagnose(teacher, D1, DomainResult("methodical", 2, 10))
            self.diagnose(teacher, D2 if teacher is grows else D1 + datetime.timedelta(1),
                          DomainResult("methodical", 9, 10))
        self.diagnose(once, D1, DomainResult("methodical", 5, 10))
        working = list(Teacher.objects.working_on(datetime.date.today()))
        summary = school_dynamics(working, dynamics_by_teacher(t.pk for t in working))
        # working: А, Б, В; diagnosed: А, Б (2 of 3); with a pair: А; growing: А (1 of 1)
        self.assertEqual((summary.staff, summary.diagnosed, summary.compared, summary.positive),
                         (3, 2, 1, 1))
        self.assertAlmostEqual(summary.diagnosed_pct, 200 / 3)
        self.assertEqual(summary.positive_pct, 100.0)
        self.assertNotIn(never.pk, dynamics_by_teacher([never.pk]))
