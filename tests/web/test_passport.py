"""The context passport form: units, range and part/whole checks per field, saving with history."""

from __future__ import annotations

from typing import Any

from personas import PersonaTestCase

from opora.web.accounts.assignment_cache import forget_user
from opora.web.context.models import ContextPassport
from opora.web.context.services import context_passport_update

YEAR = 2023


class PassportFormTests(PersonaTestCase):
    def _url(self, school: Any = None, year: int = YEAR) -> str:
        return f"/schools/{(school or self.a).pk}/passport/{year}/"

    def _post(self, user: Any, data: dict[str, str], school: Any = None) -> Any:
        self.client.force_login(user)
        return self.client.post(self._url(school), data)

    def test_the_form_shows_every_field_with_its_unit(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.get(self._url())
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form.fields["students"].unit, "чел.")
        self.assertEqual(form.fields["share_low_income"].unit, "%")
        self.assertEqual(form.fields["remoteness_km"].unit, "км")
        self.assertEqual(form.fields["teacher_vacancies"].unit, "ед.")
        self.assertContains(response, '<span class="unit">км</span>', html=False)
        self.assertContains(response, "2023/24")

    def test_a_school_administrator_fills_in_their_passport_with_decimal_commas(self) -> None:
        response = self._post(self.school_admin, {"students": "812", "share_low_income": "12,5",
                                                  "remoteness_km": "3.5"})
        self.assertRedirects(response, f"/schools/{self.a.pk}/")
        saved = ContextPassport.objects.get(school=self.a, year=YEAR)
        self.assertEqual((saved.students, saved.share_low_income, saved.remoteness_km),
                         (812, 12.5, 3.5))
        self.assertIsNone(saved.share_ovz)  # an empty box is «no data», not zero
        self.assertEqual(saved.history.latest().history_user, self.school_admin)

    def test_a_share_of_120_percent_is_refused_next_to_its_field_and_nothing_is_saved(self) -> None:
        response = self._post(self.school_admin, {"students": "812", "share_ovz": "120"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].errors["share_ovz"],
                         ["Доля указывается в процентах от 0 до 100."])
        self.assertContains(response, "Паспорт не сохранён")
        self.assertFalse(ContextPassport.objects.filter(school=self.a).exists())

    def test_a_negative_distance_is_refused(self) -> None:
        response = self._post(self.coordinator, {"remoteness_km": "-2"})
        self.assertIn("remoteness_km", response.context["form"].errors)
        self.assertFalse(ContextPassport.objects.exists())

    def test_a_part_larger_than_its_whole_is_marked_on_both_fields(self) -> None:
        # both parents with a degree 70 % + single-parent families 40 % = 110 % of families
        response = self._post(self.school_admin, {"share_parents_higher_ed": "70",
                                                  "share_single_parent": "40"})
        errors = response.context["form"].errors
        for name in ("share_parents_higher_ed", "share_single_parent"):
            self.assertTrue(errors[name][0].startswith("Часть больше целого"), errors[name])
        self.assertFalse(ContextPassport.objects.exists())

    def test_text_in_a_number_field_is_refused_in_russian(self) -> None:
        response = self._post(self.school_admin, {"students": "много"})
        self.assertEqual(response.context["form"].errors["students"], ["Введите целое число."])

    def test_correcting_a_loaded_passport_keeps_the_other_fields(self) -> None:
        ContextPassport.objects.create(school=self.a, year=YEAR, students=500, share_ovz=2.5,
                                       source="паспорт.xlsx")
        self._post(self.coordinator, {"students": "500", "share_ovz": "4"})
        saved = ContextPassport.objects.get(school=self.a, year=YEAR)
        self.assertEqual((saved.students, saved.share_ovz, saved.source), (500, 4.0, "паспорт.xlsx"))

    def test_the_year_picker_opens_the_form_for_the_chosen_year(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.get(f"/schools/{self.a.pk}/passport/new/", {"year": "2022"})
        self.assertRedirects(response, self._url(year=2022))

    def test_a_year_outside_the_list_is_refused(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.get(f"/schools/{self.a.pk}/passport/new/", {"year": "1990"},
                                   follow=True)
        self.assertContains(response, "Выберите учебный год из списка.")
        self.assertEqual(self.client.get(self._url(year=1990)).status_code, 404)
        self.assertEqual(self.client.get(self._url(year=2999)).status_code, 404)


class PassportAccessTests(PersonaTestCase):
    def _status(self, user: Any, school: Any, method: str = "get") -> int:
        self.client.force_login(user)
        url = f"/schools/{school.pk}/passport/{YEAR}/"
        response = getattr(self.client, method)(url, {"students": "10"} if method == "post" else {})
        return response.status_code

    def test_the_school_administrator_edits_only_their_own_school(self) -> None:
        self.assertEqual(self._status(self.school_admin, self.a), 200)
        self.assertEqual(self._status(self.school_admin, self.b), 404)
        self.assertEqual(self._status(self.school_admin, self.b, "post"), 404)

    def test_the_coordinator_edits_only_their_municipality(self) -> None:
        self.assertEqual(self._status(self.coordinator, self.b), 200)
        self.assertEqual(self._status(self.coordinator, self.c), 404)
        self.assertEqual(self._status(self.coordinator, self.c, "post"), 404)

    def test_readers_may_open_the_card_but_not_change_the_passport(self) -> None:
        for user, school in ((self.methodist, self.a), (self.curator, self.b),
                             (self.regional, self.a)):
            self.assertEqual(self._status(user, school), 403, user)
            self.assertEqual(self._status(user, school, "post"), 403, user)
        self.assertFalse(ContextPassport.objects.exists())


class PassportHistoryTests(PersonaTestCase):
    def setUp(self) -> None:
        passport = ContextPassport.objects.create(school=self.a, year=YEAR, share_ovz=2.5,
                                                  students=400)
        context_passport_update(passport=passport, user=self.school_admin, share_ovz=4.0)

    def test_the_coordinator_reads_who_changed_which_field_from_what_to_what(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(f"/schools/{self.a.pk}/passport/{YEAR}/history/")
        self.assertEqual(response.status_code, 200)
        latest = response.context["entries"][0]
        self.assertEqual((latest.who, latest.action), ("director", "изменено"))
        self.assertEqual([(c.label, c.old, c.new) for c in latest.changes],
                         [("Обучающиеся с ОВЗ, %", "2,5", "4")])
        self.assertContains(response, "Обучающиеся с ОВЗ, %")

    def test_the_creation_lists_the_values_it_started_with(self) -> None:
        self.client.force_login(self.admin)
        entries = self.client.get(f"/schools/{self.a.pk}/passport/{YEAR}/history/").context["entries"]
        first = entries[-1]
        self.assertEqual(first.action, "создано")
        self.assertIn(("Обучающихся, чел.", "—", "400"), [(c.label, c.old, c.new) for c in first.changes])

    def test_the_card_history_includes_passport_changes(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(f"/schools/{self.a.pk}/history/")
        self.assertContains(response, "Социальный паспорт 2023/24")
        self.assertContains(response, "director")

    def test_a_save_that_changes_nothing_is_not_listed(self) -> None:
        passport = ContextPassport.objects.get(school=self.a, year=YEAR)
        context_passport_update(passport=passport, user=self.coordinator, share_ovz=4.0)
        self.client.force_login(self.coordinator)
        entries = self.client.get(f"/schools/{self.a.pk}/passport/{YEAR}/history/").context["entries"]
        self.assertEqual([e.action for e in entries], ["изменено", "создано"])

    def test_only_coordinators_read_the_history(self) -> None:
        for user in (self.school_admin, self.methodist, self.regional):
            self.client.force_login(user)
            for url in (f"/schools/{self.a.pk}/passport/{YEAR}/history/",
                        f"/schools/{self.a.pk}/history/"):
                self.assertEqual(self.client.get(url).status_code, 403, (user, url))
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(f"/schools/{self.c.pk}/history/").status_code, 404)


class HistoryQueryTests(PersonaTestCase):
    def _queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.coordinator)
        forget_user(self.coordinator.pk)  # a first request's count: the roles read as well
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(f"/schools/{self.a.pk}/history/").status_code, 200)
        return len(queries)

    def test_the_history_takes_the_same_number_of_queries_for_one_and_many_changes(self) -> None:
        passport = ContextPassport.objects.create(school=self.a, year=2020, students=1)
        small = self._queries()
        for year in (2021, 2022, 2023):
            other = ContextPassport.objects.create(school=self.a, year=year, students=1)
            for n in range(2, 6):
                context_passport_update(passport=other, user=self.school_admin, students=n)
        context_passport_update(passport=passport, user=self.coordinator, share_ovz=1.0)
        self.assertEqual(self._queries(), small)
