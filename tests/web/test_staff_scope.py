"""Who sees and edits a school's staff, and what a teacher's record refuses.

Personas (tests/web/personas.py): school A and B in «Первый», C in «Второй», D in another region;
the director administers A, the curator is assigned to B and C.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from personas import PersonaTestCase

from opora.web.accounts.scope import Action, Viewer
from opora.web.staff.models import Teacher
from opora.web.staff.selectors import school_teachers, teachers_visible_to


def _teacher(school: object, name: str, **fields: object) -> Teacher:
    teacher = Teacher(school=school, name=name, **fields)
    teacher.full_clean()
    teacher.save()
    return teacher


class TeacherScopeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.in_a = _teacher(cls.a, "Иванова Мария Петровна", subjects=["rus", "literature"])
        cls.in_b = _teacher(cls.b, "П-017", name_is_code=True, subjects=["math"])
        cls.in_c = _teacher(cls.c, "П-003", name_is_code=True)
        cls.in_d = _teacher(cls.d, "Смирнов Олег Игоревич")

    def _visible(self, user: object) -> set[str]:
        return set(teachers_visible_to(Viewer.of(user)).values_list("name", flat=True))

    def test_each_role_sees_the_staff_of_its_schools_only(self) -> None:
        self.assertEqual(self._visible(self.school_admin), {"Иванова Мария Петровна"})
        self.assertEqual(self._visible(self.curator), {"П-017", "П-003"})
        self.assertEqual(self._visible(self.coordinator), {"Иванова Мария Петровна", "П-017"})
        self.assertEqual(self._visible(self.methodist), {"Иванова Мария Петровна", "П-017"})
        self.assertEqual(self._visible(self.regional),
                         {"Иванова Мария Петровна", "П-017", "П-003"})
        self.assertEqual(self._visible(self.nobody), set())
        self.assertEqual(len(self._visible(self.admin)), 4)

    def test_the_school_administrator_and_the_coordinator_edit_the_others_only_read(self) -> None:
        def may(user: object, action: Action) -> bool:
            return Viewer.of(user).may(action, self.a)

        self.assertTrue(may(self.school_admin, Action.EDIT_STAFF))
        self.assertTrue(may(self.coordinator, Action.EDIT_STAFF))
        for reader in (self.methodist, self.regional):
            self.assertTrue(may(reader, Action.SEE_STAFF))
            self.assertFalse(may(reader, Action.EDIT_STAFF))
        self.assertFalse(Viewer.of(self.curator).may(Action.EDIT_STAFF, self.b))
        self.assertTrue(Viewer.of(self.curator).may(Action.SEE_STAFF, self.b))
        self.assertFalse(may(self.curator, Action.SEE_STAFF))
        self.assertFalse(may(self.nobody, Action.SEE_STAFF))

    def test_methodists_record_development_but_do_not_edit_the_staff(self) -> None:
        self.assertTrue(Viewer.of(self.methodist).may(Action.EDIT_DEVELOPMENT, self.a))
        self.assertFalse(Viewer.of(self.methodist).may(Action.EDIT_DEVELOPMENT, self.c))
        self.assertFalse(Viewer.of(self.curator).may(Action.EDIT_DEVELOPMENT, self.b))
        self.assertFalse(Viewer.of(self.regional).may(Action.EDIT_DEVELOPMENT, self.a))

    def test_a_teacher_who_left_stays_in_the_record_but_not_on_the_staff_list(self) -> None:
        self.in_a.active_from = datetime.date(2015, 9, 1)
        self.in_a.active_to = datetime.date(2024, 6, 30)
        self.in_a.save()
        self.assertEqual(list(school_teachers(self.a)), [])
        self.assertEqual(list(school_teachers(self.a, include_left=True)), [self.in_a])
        self.assertEqual(list(school_teachers(self.a, on=datetime.date(2020, 1, 1))), [self.in_a])
        self.assertEqual(self.in_a.history.count(), 2)

    def test_a_record_refuses_leaving_before_starting_and_an_unknown_subject(self) -> None:
        teacher = Teacher(school=self.a, name="Петров П. П.", subjects=["math", "astrology"],
                          active_from=datetime.date(2020, 9, 1), active_to=datetime.date(2019, 1, 1))
        with self.assertRaises(ValidationError) as refused:
            teacher.full_clean()
        messages = refused.exception.message_dict
        self.assertIn("Неизвестные предметы: astrology.", messages["subjects"])
        self.assertIn("Дата ухода раньше даты начала работы.", messages["__all__"])

    def test_two_working_teachers_of_one_school_do_not_share_a_name(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            _teacher(self.b, "П-017", name_is_code=True)
        self.assertIn("уже работает педагог", str(refused.exception))
