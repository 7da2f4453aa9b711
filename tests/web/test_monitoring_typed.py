"""Typed indicators: the unit checks refuse the seed tables' errors with a Russian message that
says where, and an import writes nothing unless every row is right."""

from __future__ import annotations

import io

import openpyxl
import pytest
from personas import PersonaTestCase

from opora.web.monitoring.catalogue import indicator
from opora.web.monitoring.models import TypedImport, TypedValue
from opora.web.monitoring.typed import COLUMNS, Refused, check, import_file

SHARE = indicator("school_psych_support_pct")
COUNT = indicator("school_teachers_running_seminars")


@pytest.mark.parametrize(("numerator", "denominator", "value", "says"), [
    ("", "", "14ч. 50%", "смешаны количество и доля"),   # seed 001, a school's table
    ("", "", "4/27", "смешаны"),
    ("", "", "14", "похоже на количество"),               # a count where a share is due
    ("", "", "514", "больше 100 %"),                       # 514 for ~30 teachers
    ("31", "27", "", r"часть \(31\) больше целого \(27\)"),
    ("5", "", "", "нужны числитель и знаменатель"),
    ("5", "0", "", "знаменатель равен нулю"),
    ("4", "27", "50%", "не равно 4 из 27"),
    ("4,5", "27", "", "дробное"),
])
def test_a_share_refuses_what_the_seed_tables_got_wrong(numerator: str, denominator: str,
                                                        value: str, says: str) -> None:
    assert SHARE is not None
    with pytest.raises(Refused, match=says):
        check(SHARE, numerator, denominator, value)


def test_a_share_is_kept_as_numerator_and_denominator() -> None:
    assert SHARE is not None
    assert check(SHARE, "4", "27", "14,8 %") == (4, 27)


@pytest.mark.parametrize(("value", "says"), [("50%", "процент"), ("2,5", "дробное"),
                                             ("14ч. 50%", "смешаны"), ("много", "не число")])
def test_a_count_refuses_percents_fractions_and_mixed_cells(value: str, says: str) -> None:
    assert COUNT is not None
    with pytest.raises(Refused, match=says):
        check(COUNT, value, "", "")


def _book(*rows: tuple[object, ...]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Показатели"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TypedImportTests(PersonaTestCase):
    def test_a_file_with_one_bad_row_writes_nothing_and_says_file_sheet_row_column(self) -> None:
        content = _book(("СОШ № 1", "school_teachers_running_seminars", 2025, 4, None, None),
                        ("СОШ № 2", "school_psych_support_pct", 2025, None, None, "14ч. 50%"))
        result = import_file(by=self.coordinator, municipality=self.first, name="показатели.xlsx",
                             content=content)
        self.assertEqual(result.status, TypedImport.FAILED)
        self.assertEqual(TypedValue.objects.count(), 0)
        self.assertEqual(result.problems, [
            "Файл «показатели.xlsx», лист «Показатели», строка 3: столбец «Значение»: в ячейке "
            "«14ч. 50%» смешаны количество и доля — для доли укажите числитель и знаменатель "
            "отдельно."])

    def test_a_right_file_is_loaded_whole_and_again_changes_nothing(self) -> None:
        content = _book(("СОШ № 1", "school_teachers_running_seminars", 2025, 4, None, None),
                        ("СОШ № 2", "Доля педагогов, охваченных психолого-педагогическим "
                         "сопровождением", 2025, 4, 27, None))
        first = import_file(by=self.coordinator, municipality=self.first, name="п.xlsx",
                            content=content)
        self.assertEqual(first.status, TypedImport.SUCCEEDED, first.problems)
        import_file(by=self.coordinator, municipality=self.first, name="п.xlsx", content=content)
        values = sorted(TypedValue.objects.values_list("school__short_name", "numerator",
                                                       "denominator"))
        self.assertEqual(values, [("СОШ № 1", 4, None), ("СОШ № 2", 4, 27)])
        self.assertEqual(TypedValue.history.count(), 2)

    def test_a_school_of_another_municipality_is_refused(self) -> None:
        content = _book(("СОШ № 3", "school_teachers_running_seminars", 2025, 4, None, None))
        result = import_file(by=self.coordinator, municipality=self.first, name="п.xlsx",
                             content=content)
        self.assertIn("строка 2: столбец «Школа»", result.problems[0])

    def test_the_form_saves_all_or_nothing(self) -> None:
        self.client.force_login(self.school_admin)
        from opora.web.monitoring.selectors import default_years

        year = default_years()[-1]
        response = self.client.post(f"/monitoring/schools/{self.a.pk}/typed/", {
            f"school_teachers_running_seminars-{year}-n": "3",
            f"school_psych_support_pct-{year}-n": "31",
            f"school_psych_support_pct-{year}-d": "27"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "часть (31) больше целого (27)", status_code=400)
        self.assertEqual(TypedValue.objects.count(), 0)
        response = self.client.post(f"/monitoring/schools/{self.a.pk}/typed/", {
            f"school_teachers_running_seminars-{year}-n": "3"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(f"/monitoring/schools/{self.a.pk}/").content.decode()
        self.assertIn("Количество педагогов, проводивших консультации", page)
