"""The passport warns about values that are allowed but look wrong, and saves them once the
person confirms (issue 13): 0,125 typed where 12,5 % was meant; a value far from last year's.
Expected numbers are worked out in the comments."""

from __future__ import annotations

from typing import Any

from personas import PersonaTestCase

from opora.web.context.models import ContextPassport
from opora.web.context.warnings import MIN_PAIRS, usual_change
from opora.web.schools.services import school_create

YEAR = 2023


def test_the_usual_change_is_the_95th_percentile_of_absolute_changes() -> None:
    # 20 changes of ±1 … ±20: |Δ| = 1 … 20; numpy's linear 95th percentile: 1 + 0.95 × 19 = 19.05
    deltas = [(-1) ** i * i for i in range(1, MIN_PAIRS + 1)]
    assert usual_change(deltas) == 19.05


def test_too_few_changes_give_no_usual_change() -> None:
    assert usual_change([1.0] * (MIN_PAIRS - 1)) is None


class PassportWarningTests(PersonaTestCase):
    def _post(self, data: dict[str, str], school: Any = None) -> Any:
        self.client.force_login(self.coordinator)
        return self.client.post(f"/schools/{(school or self.a).pk}/passport/{YEAR}/", data)

    def test_a_share_below_one_percent_is_asked_about_and_not_saved(self) -> None:
        response = self._post({"share_parents_higher_ed": "0,125"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ContextPassport.objects.exists())
        self.assertContains(response, "Похоже на долю единицы: 0,125 % — это меньше одного "
                                      "процента. Если имелось в виду 12,5 %, исправьте значение.")
        self.assertContains(response, "Значения проверены: сохранить как введено")

    def test_a_confirmed_warning_saves_the_value_as_typed(self) -> None:
        first = self._post({"share_parents_higher_ed": "0,125"})
        warned = first.context["form"]["warned"].value()
        response = self._post({"share_parents_higher_ed": "0,125", "warned": warned,
                               "confirm_warnings": "on"})
        self.assertRedirects(response, f"/schools/{self.a.pk}/")
        self.assertEqual(ContextPassport.objects.get(school=self.a).share_parents_higher_ed,
                         0.125)

    def test_a_confirmation_of_other_values_than_those_warned_about_asks_again(self) -> None:
        first = self._post({"share_parents_higher_ed": "0,125"})
        warned = first.context["form"]["warned"].value()
        response = self._post({"share_parents_higher_ed": "0,5", "warned": warned,
                               "confirm_warnings": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ContextPassport.objects.exists())
        self.assertContains(response, "Похоже на долю единицы: 0,5 %")

    def test_an_ordinary_share_is_saved_at_once(self) -> None:
        self.assertEqual(self._post({"share_parents_higher_ed": "12,5"}).status_code, 302)

    def test_a_jump_beyond_the_allowance_from_last_year_is_asked_about(self) -> None:
        # too few pairs in the municipality → the allowance of 15 p. p.: 30 → 70 is 40 > 15
        ContextPassport.objects.create(school=self.a, year=YEAR - 1, share_low_income=30.0)
        response = self._post({"share_low_income": "70"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "В 2022/23 учебном году было 30 %; изменение на 40 п. п., "
                                      "а больше 15 п. п. за год — редкость. Проверьте значение.")

    def test_a_change_within_the_allowance_is_saved_at_once(self) -> None:
        ContextPassport.objects.create(school=self.a, year=YEAR - 1, share_low_income=30.0)
        self.assertEqual(self._post({"share_low_income": "44"}).status_code, 302)  # 14 ≤ 15

    def test_a_count_that_more_than_halves_or_doubles_is_asked_about(self) -> None:
        ContextPassport.objects.create(school=self.a, year=YEAR - 1, students=800)
        self.assertEqual(self._post({"students": "1150"}).status_code, 302)  # 350 ≤ 400
        response = self._post({"students": "80"})  # 720 > 400
        self.assertContains(response, "изменение на 720 чел., а изменение больше чем наполовину "
                                      "за год — редкость")

    def test_the_usual_change_is_taken_from_the_municipalitys_schools(self) -> None:
        # 20 schools whose share moved by exactly 2 p. p. a year: the usual change is 2.0,
        # so 30 → 35 (5 > 2) is asked about although it is within the 15 p. p. allowance
        for i in range(MIN_PAIRS):
            school = school_create(municipality=self.first, key=f"K{i}", short_name=f"СОШ № {i + 10}")
            ContextPassport.objects.create(school=school, year=2020, share_low_income=10.0)
            ContextPassport.objects.create(school=school, year=2021, share_low_income=12.0)
        ContextPassport.objects.create(school=self.a, year=YEAR - 1, share_low_income=30.0)
        response = self._post({"share_low_income": "35"})
        self.assertContains(response, "обычно за год меняется не больше чем на 2,0 п. п.")
