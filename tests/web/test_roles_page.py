"""Role management by a coordinator: the list, assign, revoke, new users — scoped and audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from personas import PersonaTestCase

from opora.web.accounts import models as roles
from opora.web.accounts.assignment_cache import forget_user
from opora.web.accounts.models import RoleAssignment
from opora.web.accounts.services import role_assign, role_revoke


class RolesPageTests(PersonaTestCase):
    def _get(self, user: Any) -> Any:
        self.client.force_login(user)
        return self.client.get("/roles/")

    def test_the_coordinator_sees_the_roles_in_their_municipality_only(self) -> None:
        people = self._get(self.coordinator).context["people"]
        seen = {(p.user.username, a.role, str(a.scope_object)) for p in people
                for a, _, _ in p.assignments}
        # by hand from personas.py: «Первый» holds A and B
        self.assertEqual(seen, {("coordinator", "coordinator", "Первый"),
                                ("methodist", "methodist", "Первый"),
                                ("director", "school_admin", "СОШ № 1"),
                                ("curator", "curator", "СОШ № 2")})  # not the curator's C

    def test_the_coordinator_may_revoke_school_and_methodist_roles_but_not_coordinator(self) -> None:
        people = self._get(self.coordinator).context["people"]
        revocable = {a.role: r for p in people for a, _, r in p.assignments}
        self.assertEqual(revocable, {"coordinator": False, "methodist": True,
                                     "school_admin": True, "curator": True})

    def test_the_superuser_sees_every_assignment(self) -> None:
        people = self._get(self.admin).context["people"]
        self.assertEqual(sum(len(p.assignments) for p in people), RoleAssignment.objects.count())

    def test_readers_and_school_users_cannot_open_the_roles_page(self) -> None:
        for user in (self.methodist, self.school_admin, self.curator, self.regional, self.nobody):
            self.assertEqual(self._get(user).status_code, 403, user)

    def test_the_roles_link_is_in_the_header_for_coordinators_only(self) -> None:
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get("/schools/"), 'href="/roles/"')
        self.client.force_login(self.methodist)
        self.assertNotContains(self.client.get("/schools/"), 'href="/roles/"')


class AssignAndRevokeTests(PersonaTestCase):
    def _assign(self, user: Any, **data: Any) -> Any:
        self.client.force_login(user)
        return self.client.post("/roles/assign/", {"username": "nobody", **data})

    def test_the_coordinator_makes_a_user_curator_of_a_school_and_it_is_audited(self) -> None:
        response = self._assign(self.coordinator, role="curator", school=self.a.pk)
        self.assertRedirects(response, "/roles/")
        assignment = RoleAssignment.objects.get(user=self.nobody, role="curator", school=self.a)
        record = assignment.history.latest()
        self.assertEqual((record.history_type, record.history_user), ("+", self.coordinator))
        entries = self.client.get("/roles/").context["history"]
        self.assertEqual((entries[0].who, entries[0].action, entries[0].record),
                         ("coordinator", "создано", "nobody: Куратор — СОШ № 1"))

    def test_the_coordinator_makes_a_methodist_of_their_municipality(self) -> None:
        self._assign(self.coordinator, role="methodist", municipality=self.first.pk)
        self.assertTrue(RoleAssignment.objects.filter(user=self.nobody, role="methodist",
                                                      municipality=self.first).exists())

    def test_a_school_of_another_municipality_is_forbidden(self) -> None:
        response = self._assign(self.coordinator, role="curator", school=self.c.pk)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(RoleAssignment.objects.filter(user=self.nobody).exists())

    def test_a_coordinator_cannot_make_coordinators_or_regional_staff(self) -> None:
        for data in ({"role": "coordinator", "municipality": self.first.pk},
                     {"role": "regional", "region": self.first.region_id},
                     {"role": "methodist", "municipality": self.second.pk}):
            self.assertEqual(self._assign(self.coordinator, **data).status_code, 403, data)
        self.assertFalse(RoleAssignment.objects.filter(user=self.nobody).exists())

    def test_the_superuser_makes_a_coordinator(self) -> None:
        self._assign(self.admin, role="coordinator", municipality=self.second.pk)
        self.assertTrue(RoleAssignment.objects.filter(user=self.nobody, role="coordinator",
                                                      municipality=self.second).exists())

    def test_the_superuser_makes_regional_staff_and_the_form_keeps_only_the_regions_scope(self) -> None:
        # a school sent along with the regional role is dropped, not saved as a second scope
        self._assign(self.admin, role="regional", region=self.first.region_id, school=self.a.pk)
        made = RoleAssignment.objects.get(user=self.nobody)
        self.assertEqual((made.role, made.region_id, made.school_id),
                         ("regional", self.first.region_id, None))

    def test_a_role_without_its_school_is_refused_with_a_message(self) -> None:
        response = self._assign(self.coordinator, role="school_admin")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Для этой роли выберите школу.")
        self.assertContains(response, "Роль не назначена")

    def test_an_unknown_user_is_refused_with_a_message(self) -> None:
        response = self._assign(self.coordinator, username="ghost", role="curator",
                                school=self.a.pk)
        self.assertContains(response, "Пользователя «ghost» нет.")

    def _revoke(self, user: Any, assignment: RoleAssignment) -> Any:
        self.client.force_login(user)
        return self.client.post(f"/roles/{assignment.pk}/revoke/")

    def test_the_coordinator_revokes_a_school_role_and_the_history_keeps_it(self) -> None:
        assignment = RoleAssignment.objects.get(user=self.school_admin)
        self.assertRedirects(self._revoke(self.coordinator, assignment), "/roles/")
        self.assertFalse(RoleAssignment.objects.filter(pk=assignment.pk).exists())
        record = RoleAssignment.history.filter(id=assignment.pk).latest()
        self.assertEqual((record.history_type, record.history_user), ("-", self.coordinator))

    def test_an_assignment_outside_the_municipality_is_not_found(self) -> None:
        outside = RoleAssignment.objects.get(user=self.curator, school=self.c)
        self.assertEqual(self._revoke(self.coordinator, outside).status_code, 404)
        self.assertTrue(RoleAssignment.objects.filter(pk=outside.pk).exists())

    def test_a_coordinator_role_cannot_be_revoked_by_a_coordinator(self) -> None:
        own = RoleAssignment.objects.get(user=self.coordinator)
        self.assertEqual(self._revoke(self.coordinator, own).status_code, 403)
        self.assertTrue(RoleAssignment.objects.filter(pk=own.pk).exists())

    def test_actions_need_post(self) -> None:
        self.client.force_login(self.coordinator)
        assignment = RoleAssignment.objects.get(user=self.school_admin)
        self.assertEqual(self.client.get(f"/roles/{assignment.pk}/revoke/").status_code, 405)
        self.assertEqual(self.client.get("/roles/assign/").status_code, 405)


class NewUserTests(PersonaTestCase):
    def _create(self, user: Any, **data: Any) -> Any:
        self.client.force_login(user)
        return self.client.post("/roles/users/new/", {"username": "ivanova", "last_name": "Иванова",
                                                      "first_name": "Анна Петровна", **data})

    def test_a_new_user_gets_a_role_and_a_password_shown_once(self) -> None:
        response = self._create(self.coordinator, role="school_admin", school=self.b.pk)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        password = response.context["password"]
        self.assertGreaterEqual(len(password), 12)
        self.assertContains(response, password)
        created = get_user_model().objects.get(username="ivanova")
        self.assertNotEqual(created.password, password)  # stored hashed
        self.assertTrue(RoleAssignment.objects.filter(user=created, role=roles.SCHOOL_ADMIN,
                                                      school=self.b).exists())
        self.client.logout()
        self.assertTrue(self.client.login(username="ivanova", password=password))
        # the one-time password is changed first (test_sign_in.py), then the role's scope shows
        self.assertRedirects(self.client.get(f"/schools/{self.b.pk}/"), "/account/password/")
        self.client.post("/account/password/", {"old_password": password,
                                                "new_password1": "Своя-тропинка-2024",
                                                "new_password2": "Своя-тропинка-2024"})
        self.assertEqual(self.client.get(f"/schools/{self.b.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/schools/{self.a.pk}/").status_code, 404)

    def test_two_new_users_get_different_passwords(self) -> None:
        first = self._create(self.coordinator, role="curator", school=self.a.pk)
        second = self._create(self.coordinator, username="petrov", role="curator",
                              school=self.a.pk)
        self.assertNotEqual(first.context["password"], second.context["password"])

    def test_a_taken_username_is_refused_and_nothing_is_created(self) -> None:
        response = self._create(self.coordinator, username="director", role="curator",
                                school=self.a.pk)
        self.assertContains(response, "Имя пользователя «director» уже занято.")
        self.assertEqual(RoleAssignment.objects.filter(user=self.school_admin).count(), 1)

    def test_a_user_for_another_municipality_is_forbidden_and_not_created(self) -> None:
        response = self._create(self.coordinator, role="school_admin", school=self.c.pk)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(get_user_model().objects.filter(username="ivanova").exists())

    def test_the_new_user_and_the_creator_are_in_the_role_history(self) -> None:
        self._create(self.coordinator, role="curator", school=self.a.pk)
        latest = self.client.get("/roles/").context["history"][0]
        self.assertEqual((latest.who, latest.record, latest.reason),
                         ("coordinator", "ivanova: Куратор — СОШ № 1", "новый пользователь"))


class RolesPageQueryTests(PersonaTestCase):
    def _queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.coordinator)
        forget_user(self.coordinator.pk)  # a first request's count: the roles read as well
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get("/roles/").status_code, 200)
        return len(queries)

    def test_the_roles_page_takes_the_same_number_of_queries_for_few_and_many_people(self) -> None:
        small = self._queries()
        for n in range(12):
            user = get_user_model().objects.create_user(f"teacher{n}")
            role_assign(user=user, role=roles.CURATOR, school=self.a if n % 2 else self.b,
                        by=self.coordinator)
        role_revoke(assignment=RoleAssignment.objects.get(user__username="teacher3"),
                    by=self.coordinator)
        self.assertEqual(self._queries(), small)
