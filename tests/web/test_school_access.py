"""Who sees which school: the list page and the school page, for every role."""

from __future__ import annotations

from personas import PASSWORD, PersonaTestCase

from opora.web.accounts.scope import Viewer
from opora.web.schools.services import school_create


class SchoolListTests(PersonaTestCase):
    def test_coordinator_sees_the_schools_of_their_municipality_only(self) -> None:
        self.assertEqual(self.visible_keys(self.coordinator), ["A", "B"])

    def test_methodist_sees_the_schools_of_their_municipality_only(self) -> None:
        self.assertEqual(self.visible_keys(self.methodist), ["A", "B"])

    def test_school_admin_sees_only_their_school(self) -> None:
        self.assertEqual(self.visible_keys(self.school_admin), ["A"])

    def test_curator_sees_every_assigned_school_and_no_other(self) -> None:
        self.assertEqual(sorted(self.visible_keys(self.curator)), ["B", "C"])

    def test_regional_coordinator_sees_their_region_but_not_another(self) -> None:
        self.assertEqual(sorted(self.visible_keys(self.regional)), ["A", "B", "C"])

    def test_a_user_without_a_role_sees_no_school_and_is_told_why(self) -> None:
        self.assertEqual(self.visible_keys(self.nobody), [])
        self.assertContains(self.client.get("/schools/"), "попросите координатора назначить")

    def test_superuser_sees_every_school(self) -> None:
        self.assertEqual(sorted(self.visible_keys(self.admin)), ["A", "B", "C", "D"])

    def test_an_anonymous_visitor_is_sent_to_the_sign_in_page(self) -> None:
        response = self.client.get("/schools/")
        self.assertRedirects(response, "/login/?next=/schools/")

    def test_an_inactive_user_sees_nothing(self) -> None:
        self.coordinator.is_active = False
        self.assertEqual(list(Viewer(self.coordinator).schools()), [])

    def test_the_card_check_agrees_with_the_list_for_every_persona_and_school(self) -> None:
        # the card checks one school in Python (Viewer.may_see_school), the list filters in SQL
        # (Viewer.schools): the two must never disagree, whoever asks and about whichever
        personas = [self.coordinator, self.methodist, self.school_admin, self.curator,
                    self.regional, self.nobody, self.admin]
        checked = 0
        for user in personas:
            viewer = Viewer(user)
            listed = set(viewer.schools().values_list("pk", flat=True))
            for school in (self.a, self.b, self.c, self.d):
                with self.subTest(user=user.username, school=school.key):
                    self.assertEqual(viewer.may_see_school(school), school.pk in listed)
                    checked += 1
        self.assertEqual(checked, 28)
        self.coordinator.is_active = False
        self.assertFalse(Viewer(self.coordinator).may_see_school(self.a))

    def test_the_list_takes_the_same_number_of_queries_for_four_and_for_eight_schools(self) -> None:
        self.client.force_login(self.admin)
        # session, user, schools with their passports counted, the newest import (the loaded
        # rows are counted once per import: schools.selectors.loaded_counts): 4, whatever the
        # number of schools
        with self.assertNumQueries(4):
            self.client.get("/schools/")
        for number in range(5, 9):
            school_create(municipality=self.first, key=f"X{number}", short_name=f"СОШ № {number}")
        with self.assertNumQueries(4):
            self.assertEqual(len(self.client.get("/schools/").context["schools"]), 8)

    def test_header_shows_the_user_and_their_role_with_its_scope(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get("/schools/")
        self.assertContains(response, "coordinator")
        self.assertContains(response, "Муниципальный координатор — Первый")


class SchoolPageTests(PersonaTestCase):
    def test_school_admin_opens_their_own_school(self) -> None:
        self.assertEqual(self.page_status(self.school_admin, self.a), 200)

    def test_school_admin_changing_the_address_to_another_school_gets_not_found(self) -> None:
        self.assertEqual(self.page_status(self.school_admin, self.b), 404)
        self.assertEqual(self.page_status(self.school_admin, self.c), 404)

    def test_coordinator_opens_own_municipality_school_but_not_another_municipality(self) -> None:
        self.assertEqual(self.page_status(self.coordinator, self.b), 200)
        self.assertEqual(self.page_status(self.coordinator, self.c), 404)
        self.assertEqual(self.page_status(self.coordinator, self.d), 404)

    def test_methodist_opens_own_municipality_school_but_not_another_municipality(self) -> None:
        self.assertEqual(self.page_status(self.methodist, self.a), 200)
        self.assertEqual(self.page_status(self.methodist, self.c), 404)

    def test_curator_opens_assigned_schools_only(self) -> None:
        self.assertEqual(self.page_status(self.curator, self.c), 200)
        self.assertEqual(self.page_status(self.curator, self.a), 404)
        self.assertEqual(self.page_status(self.curator, self.d), 404)

    def test_regional_coordinator_opens_region_schools_but_not_another_region(self) -> None:
        self.assertEqual(self.page_status(self.regional, self.c), 200)
        self.assertEqual(self.page_status(self.regional, self.d), 404)

    def test_a_user_without_a_role_opens_no_school(self) -> None:
        self.assertEqual(self.page_status(self.nobody, self.a), 404)

    def test_a_school_that_does_not_exist_is_not_found_even_for_the_superuser(self) -> None:
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get("/schools/999999/").status_code, 404)

    def test_the_school_page_shows_its_identity_in_russian(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.get(f"/schools/{self.a.pk}/")
        self.assertContains(response, "СОШ № 1")
        self.assertContains(response, "Первый (Северная область)")
        self.assertContains(response, "Контекстные данные ещё не загружены")


class SignInTests(PersonaTestCase):
    def test_a_user_signs_in_with_the_russian_form_and_lands_on_the_school_list(self) -> None:
        response = self.client.post("/login/", {"username": "director", "password": PASSWORD})
        self.assertRedirects(response, "/", target_status_code=302)
        self.assertEqual(self.client.get("/").url, "/schools/")

    def test_a_wrong_password_is_refused_with_a_russian_message(self) -> None:
        response = self.client.post("/login/", {"username": "director", "password": "wrong"})
        self.assertContains(response, "Неверное имя пользователя или пароль")

    def test_sign_out_ends_the_session(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.post("/logout/")
        self.assertRedirects(self.client.get("/schools/"), "/login/?next=/schools/")
