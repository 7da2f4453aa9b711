"""Property: on generated records, every share lies within 0–100 % and no numerator exceeds its
denominator — what seed 001's hand-typed tables broke («514» for a school of thirty teachers)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from monitoring_data import diagnostic, event

from opora.web.monitoring.selectors import municipal_values_by_year, school_values_by_year
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)
from opora.web.staff.models import Teacher
from opora.web.support.models import Mentorship

YEARS = [2024, 2025]

teachers = st.lists(st.tuples(st.sampled_from([None, dt.date(2024, 6, 30), dt.date(2025, 3, 1)]),
                              st.sampled_from([[], ["rus"], ["math"]])), min_size=0, max_size=6)
events = st.lists(st.tuples(st.sampled_from(["2024-03-01", "2025-02-10", "2025-10-01"]),
                            st.sampled_from(["seminar", "monitoring_visit", "webinar"]),
                            st.sampled_from(["methodist", "curator", "leader_school"]),
                            st.sampled_from(["held", "cancelled"]),
                            st.lists(st.booleans(), max_size=6)), max_size=5)
scores = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["2024-05-01", "2025-05-01"]),
                            st.integers(0, 10)), max_size=6)


class ShareBoundsTests(TestCase):
    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(staff=teachers, held=events, diagnostics=scores)
    def test_every_share_is_within_0_and_100_and_no_part_exceeds_its_whole(
            self, staff: list, held: list, diagnostics: list) -> None:
        region = region_get_or_create(name="Область")
        town = municipality_get_or_create(region=region, name="Город")
        school = school_create(municipality=town, key="S", short_name="СОШ № 1", number=1)
        made = [Teacher.objects.create(school=school, name=f"T{i}", subjects=subjects,
                                       active_to=left) for i, (left, subjects) in enumerate(staff)]
        for day, kind, organiser, status, present in held:
            people = [t for t, here in zip(made, present, strict=False) if here]
            absent = [t for t, here in zip(made, present, strict=False) if not here]
            event(school, day, kind, organiser, people, absent, status=status)
        for index, day, score in diagnostics:
            if made:
                teacher = made[index % len(made)]
                if not teacher.diagnostics.filter(date=day).exists():
                    diagnostic(teacher, day, score)
        if len(made) >= 2:
            Mentorship.objects.create(mentor=made[0], mentee=made[1],
                                      started_on=dt.date(2024, 1, 1))
        values = list(school_values_by_year([school], YEARS).values())
        values += list(municipal_values_by_year(town, YEARS)[0].values())
        for found in values:
            for code, counted in found.items():
                den = counted.denominator
                if den is not None:
                    self.assertLessEqual(counted.numerator, den, code)
                    if counted.value is not None:
                        self.assertTrue(0 <= counted.value <= 100, (code, counted.value))
                self.assertGreaterEqual(counted.numerator, 0, code)
