"""Loading staff, diagnostics and courses from the templates: all or nothing, row by row.

Personas (tests/web/personas.py): the coordinator of «Первый» (A, B), the director of A, the
methodist of «Первый». School A has the ФИС ОКО login edu053001.
"""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from personas import PersonaTestCase

from opora.formats.templates.staff import STAFF_TEMPLATES
from opora.web.schools.models import School
from opora.web.staff.models import Course, StaffImport, Teacher, TeacherDiagnostic

TODAY = timezone.localdate()  # the users' (Moscow) calendar day, as the app reads it


def workbook(kind: str, *rows: list[Any], name: str = "") -> SimpleUploadedFile:
    """A filled-in template: the header row of ``kind`` and ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Данные"
    sheet.append([c.title for c in STAFF_TEMPLATES[kind].columns])
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile(name or f"{kind}.xlsx", content.getvalue())


def staff_row(school: str, name: str, position: str = "учитель", subjects: str = "",
              category: str = "", years: Any = None, code: str = "") -> list[Any]:
    return [school, name, code, position, subjects, category, years, None]


class StaffImportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        School.objects.filter(pk=cls.a.pk).update(fis_oko_login="edu053001")

    def load(self, user: Any, kind: str, upload: SimpleUploadedFile) -> str:
        self.client.force_login(user)
        response = self.client.post("/staff/import/", {"kind": kind, "file": upload})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_coordinator_loads_the_staff_of_two_schools_by_login_and_by_key(self) -> None:
        page = self.load(self.coordinator, "staff", workbook(
            "staff", staff_row("edu053001", "Иванова Мария Петровна", subjects="русский язык, "
                               "литература", category="высшая", years=21),
            staff_row("B", "П-017", code="да", subjects="математика; информатика",
                      category="первая", years=4),
            staff_row("B", "П-018", position="педагог-психолог", code="да")))
        self.assertIn("новых записей — 3, изменённых — 0", page)
        ivanova = Teacher.objects.get(name="Иванова Мария Петровна")
        self.assertEqual((ivanova.school, ivanova.subjects, ivanova.category),
                         (self.a, ["rus", "literature"], "highest"))
        coded = Teacher.objects.get(name="П-017")
        self.assertTrue(coded.name_is_code)
        self.assertEqual(coded.subjects, ["math", "informatics"])
        self.assertEqual(ivanova.history.get().history_user, self.coordinator)
        self.assertEqual(StaffImport.objects.get().counts["created"], 3)

    def test_the_same_file_again_changes_nothing_and_a_corrected_one_updates(self) -> None:
        rows = [staff_row("A", "П-001", code="да", category="первая", years=10)]
        # The same bytes twice: openpyxl stamps the save time into the file, so two workbooks
        # built a second apart are different files.
        content = workbook("staff", *rows, name="staff.xlsx").read()
        self.load(self.school_admin, "staff", SimpleUploadedFile("staff.xlsx", content))
        again = self.load(self.school_admin, "staff", SimpleUploadedFile("staff.xlsx", content))
        self.assertIn("Этот файл уже загружен", again)
        rows[0][5] = "высшая"
        page = self.load(self.school_admin, "staff", workbook("staff", *rows))
        self.assertIn("новых записей — 0, изменённых — 1", page)
        teacher = Teacher.objects.get(name="П-001")
        self.assertEqual(teacher.category, "highest")
        self.assertEqual(list(teacher.history.values_list("category", flat=True)),
                         ["highest", "first"])

    def test_bad_rows_refuse_the_whole_file_and_each_is_named_with_its_row(self) -> None:
        page = self.load(self.coordinator, "staff", workbook(
            "staff", staff_row("A", "Верная Строка"),
            staff_row("A", "Завуч", position="главный специалист"),
            staff_row("A", "Стаж", years=80),
            staff_row("A", "Двойник"), staff_row("A", "двойник"),
            staff_row("C", "Чужая Школа")))
        self.assertIn("Файл не загружен: ничего не записано.", page)
        self.assertIn("«главный специалист» — неизвестное значение (должность)", page)
        self.assertIn("80 — вне допустимого: стаж, лет от 0 до 70", page)
        self.assertIn("повтор: строки 5, 6 описывают одно и то же", page)
        self.assertIn("школа «C» не найдена среди школ, где вы можете записывать эти данные",
                      page)
        self.assertFalse(Teacher.objects.exists())
        self.assertEqual(StaffImport.objects.get().status, StaffImport.FAILED)

    def test_a_school_administrator_cannot_load_another_schools_staff(self) -> None:
        page = self.load(self.school_admin, "staff", workbook(
            "staff", staff_row("A", "Своя"), staff_row("B", "Чужая")))
        self.assertIn("школа «B» не найдена", page)
        self.assertFalse(Teacher.objects.exists())

    def test_a_curator_may_not_open_the_loading_page(self) -> None:
        self.client.force_login(self.curator)
        self.assertEqual(self.client.get("/staff/import/").status_code, 403)

    def test_a_damaged_file_and_a_too_large_one_are_refused_in_words(self) -> None:
        page = self.load(self.coordinator, "staff",
                         SimpleUploadedFile("педагоги.xlsx", b"not a zip at all"))
        self.assertIn("файл педагоги.xlsx не удаётся открыть как таблицу Excel", page)
        page = self.load(self.coordinator, "staff", SimpleUploadedFile(
            "большой.xlsx", b"0" * (5 * 1024 * 1024 + 1)))
        self.assertIn("Файл больше 5 МБ", page)
        self.assertFalse(Teacher.objects.exists())

    def test_a_file_that_is_not_the_template_says_so(self) -> None:
        page = self.load(self.coordinator, "courses", workbook("staff", staff_row("A", "Х")))
        self.assertIn("не найдена строка заголовков шаблона «Курсы повышения квалификации", page)


class DevelopmentImportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ivanova = Teacher.objects.create(school=cls.a, name="Иванова Мария Петровна")
        cls.code = Teacher.objects.create(school=cls.b, name="П-017", name_is_code=True)

    load = StaffImportTests.load

    def test_diagnostics_are_grouped_by_teacher_day_and_instrument(self) -> None:
        autumn, spring = datetime.date(2024, 10, 1), datetime.date(2025, 4, 15)
        page = self.load(self.methodist, "diagnostics", workbook(
            "diagnostics",
            ["A", "иванова мария петровна", autumn, "региональная диагностика", "предметные",
             12, 20, None, "ЦНППМ, входная"],
            ["A", "Иванова Мария Петровна", autumn, "Региональная диагностика", "методические",
             9, 15],
            ["A", "Иванова Мария Петровна", autumn, "regional", "цифровые", None, None, "базовый"],
            ["A", "Иванова Мария Петровна", "15.04.2025", "Региональная диагностика",
             "предметные компетенции", 15, 20],
            ["A", "Иванова Мария Петровна", spring, "региональная диагностика", "методические",
             11, 15],
            ["A", "Иванова Мария Петровна", spring, "региональная диагностика", "цифровые",
             None, None, "повышенный"],
            ["B", "П-017", spring, "самооценка", "цифровые", "3,5", 5]))
        self.assertIn("новых записей — 10", page)  # 3 diagnostics, 7 domain results
        first = TeacherDiagnostic.objects.get(teacher=self.ivanova, date=autumn)
        self.assertEqual(first.note, "ЦНППМ, входная")
        self.assertEqual(sorted(first.scores.values_list("domain", flat=True)),
                         ["digital", "methodical", "subject_domain"])
        self.client.force_login(self.coordinator)
        listing = self.client.get(f"/schools/{self.a.pk}/staff/").content.decode()
        self.assertIn("Рост компетенций (+15,8 п. п.)", listing)  # 22/38 → 28/38

    def test_a_score_above_its_maximum_a_future_date_and_an_unknown_teacher_refuse_all(
            self) -> None:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # now, not at import
        page = self.load(self.coordinator, "diagnostics", workbook(
            "diagnostics",
            ["A", "Иванова Мария Петровна", "01.10.2024", "самооценка", "предметные", 21, 20],
            ["A", "Иванова Мария Петровна", tomorrow, "самооценка", "методические", 5, 10],
            ["A", "Петров", "01.10.2024", "самооценка", "методические", 5, 10],
            ["A", "Иванова Мария Петровна", "01.10.2024", "самооценка", "цифровые", 5, None,
             "высокий"],
            ["B", "П-017", "01.10.2024", "самооценка", "методические", 5, 10]))
        self.assertIn("строка 2", page.replace("<td class=\"num\">2</td>", "строка 2"))
        self.assertIn("балл 21 больше максимального 20", page)
        self.assertIn("дата в будущем", page)
        self.assertIn("педагог «Петров» не найден среди педагогов школы СОШ № 1", page)
        self.assertIn("укажите либо балл с максимумом, либо уровень", page)
        self.assertFalse(TeacherDiagnostic.objects.exists())

    def test_courses_with_zero_hours_an_end_before_the_start_or_an_early_certificate_fail(
            self) -> None:
        page = self.load(self.school_admin, "courses", workbook(
            "courses",
            ["A", "Иванова Мария Петровна", "Функциональная грамотность", "ИРО", 0,
             "01.02.2025", "20.02.2025", "да", "123"],
            ["A", "Иванова Мария Петровна", "Цифровая дидактика", "ЦНППМ", 36,
             "01.03.2025", "20.02.2025", "да"],
            ["A", "Иванова Мария Петровна", "Наставничество", "ЦНППМ", 16,
             "01.03.2025", "20.03.2025", "нет", "УД-77"]))
        self.assertIn("0 — вне допустимого: часов больше 0", page)
        self.assertIn("окончание 20.02.2025 раньше начала 01.03.2025", page)
        self.assertIn("удостоверение выдают по завершении", page)
        self.assertFalse(Course.objects.exists())

    def test_courses_load_and_a_second_load_of_the_same_rows_changes_nothing(self) -> None:
        rows = [["A", "Иванова Мария Петровна", "Функциональная грамотность", "ИРО", 36,
                 "01.02.2025", "20.02.2025", "да", "УД-001"]]
        page = self.load(self.coordinator, "courses", workbook("courses", *rows, name="k1.xlsx"))
        self.assertIn("новых записей — 1", page)
        rows[0][3] = "ИРО "  # other bytes, the same values
        page = self.load(self.coordinator, "courses", workbook("courses", *rows, name="k2.xlsx"))
        self.assertIn("новых записей — 0, изменённых — 0, без изменений — 1", page)
        self.assertEqual(Course.objects.get().certificate_number, "УД-001")


def test_opora_template_writes_the_staff_templates(tmp_path: Path) -> None:
    for kind in ("staff", "diagnostics", "courses"):
        out = tmp_path / f"{kind}.xlsx"
        done = subprocess.run([sys.executable, "-m", "opora.cli", "template", kind, "--out",
                               str(out)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        titles = [c.value for c in openpyxl.load_workbook(out)["Данные"][1]]
        assert titles == [c.title for c in STAFF_TEMPLATES[kind].columns]


def test_the_templates_guide_names_every_column_of_the_staff_templates() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "templates.md").read_text("utf-8")
    for template in STAFF_TEMPLATES.values():
        for column in template.columns:
            row = f"| {column.title} | {'да' if column.required else ''} | {column.explanation} |"
            assert row in guide, column.title


def test_subjects_joined_by_i_are_read_as_two_unless_they_are_one_subject() -> None:
    from opora.formats.templates.staff import _PARSERS

    read = _PARSERS["subjects"]
    assert read("русский язык и литература; информатика и ИКТ") == (
        ["rus", "literature", "informatics"], None)
    assert read("Основы безопасности и защиты Родины, ОРКСЭ / ОДНКНР") == (
        ["safety", "ethics_culture"], None)
    assert read("астрология") == (None, "неизвестные предметы: «астрология»")
