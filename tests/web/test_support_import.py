"""The event log from an XLSX template: good rows load at once, a bad row stops the whole file
with a Russian message at its row and column, and loading is idempotent."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from support_data import SupportTestCase, days_ago

from opora.formats.templates.events import EVENTS_TEMPLATE, read_event_log
from opora.web.support.event_import import import_event_log
from opora.web.support.models import EventImport, SupportEvent

TITLES = [c.title for c in EVENTS_TEMPLATE.columns]


def row(**values: Any) -> list[Any]:
    """A row in the template's column order (unnamed columns empty)."""
    defaults = {"date": days_ago(5), "start": "10:00", "end": "12:00",
                "kind": "Мониторинговый визит", "topic": "Посещение уроков",
                "status": "проведено", "format": "очно", "place": "школа",
                "organiser": "координатор", "schools": "B"}
    defaults.update(values)
    return [defaults.get(c.field) for c in EVENTS_TEMPLATE.columns]


def workbook(path: Path, *rows: list[Any]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Журнал"
    sheet.append(["Журнал мероприятий муниципальной координационной группы"])
    sheet.append(TITLES)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


class EventLogReaderTests(SupportTestCase):
    def test_cells_are_read_as_people_type_them(self) -> None:
        path = workbook(Path(self.tmp()) / "log.xlsx", row(
            date="12.03.2025", start=dt.time(9, 30), end="11.00", kind="десант",
            status="Проведено дистанционно", format="онлайн", schools="B; A",
            subjects="математика; русский язык"))
        [found] = read_event_log(path).rows
        values = found.values
        self.assertEqual((values["date"], values["start"], values["end"]),
                         (dt.date(2025, 3, 12), dt.time(9, 30), dt.time(11, 0)))
        self.assertEqual((values["kind"], values["status"], values["format"]),
                         ("methodical_landing", "held_remote", True))
        self.assertEqual((found.sheet, found.row, values["schools"]), ("Журнал", 3, ["B", "A"]))

    def tmp(self) -> str:
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        return folder


class EventLogImportTests(EventLogReaderTests):
    def load(self, user: Any, *rows: list[Any], name: str = "журнал.xlsx") -> Any:
        path = workbook(Path(self.tmp()) / name, *rows)
        return import_event_log(by=user, municipality=self.first, path=path)

    def test_a_good_log_creates_every_event_with_its_participants(self) -> None:
        b1, b2, _ = self.teachers["B"]
        result = self.load(self.coordinator, row(participants=f"{b1.name}; {b2.name}"),
                           row(kind="семинар", schools="A; B", topic="Функциональная грамотность",
                               participants=self.teachers["A"][0].name))
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(SupportEvent.objects.count(), 2)
        visit = SupportEvent.objects.get(kind="monitoring_visit")
        self.assertEqual({p.teacher for p in visit.participants.all()}, {b1, b2})
        self.assertEqual(visit.imported, result.record)
        self.assertEqual(result.record.counts["created"], 2)

    def test_bad_rows_stop_the_file_and_say_where_and_why(self) -> None:
        future = (dt.date.today() + dt.timedelta(days=10)).strftime("%d.%m.%Y")
        result = self.load(self.coordinator, row(),
                           row(date=future, topic="Будущий визит"),
                           row(topic="Конец раньше", start="12:00", end="10:00"),
                           row(topic="Чужой педагог", participants=self.teachers["A"][0].name),
                           row(topic="Неизвестная школа", schools="edu099999"),
                           row(kind="экскурсия"),
                           row(topic="Отмена", status="отменено"))
        self.assertFalse(result.ok)
        self.assertFalse(SupportEvent.objects.exists())
        found = {(p.row, p.column): p.message for p in result.problems}
        self.assertIn("ещё не началось", found[(4, "G")])
        self.assertIn("10:00) раньше начала", found[(5, "C")])
        self.assertIn("педагог «A-учитель-1» не найден среди педагогов школ", found[(6, "N")])
        self.assertIn("школа с кодом «edu099999» не найдена", found[(7, "M")])
        self.assertIn("«экскурсия» — неизвестный вид мероприятия", found[(8, "D")])
        self.assertIn("Укажите причину", found[(9, "H")])
        record = EventImport.objects.get()
        self.assertEqual(record.status, EventImport.FAILED)
        self.assertEqual(len(record.problems), len(result.problems))

    def test_a_duplicate_row_rejects_both_copies(self) -> None:
        result = self.load(self.coordinator, row(), row(topic="Другая тема"), row())
        self.assertFalse(result.ok)
        duplicates = [p for p in result.problems if p.code == "duplicate_key"]
        self.assertEqual([p.row for p in duplicates], [3, 5])
        self.assertIn("строки 3, 5 описывают одно и то же мероприятие", duplicates[0].message)
        self.assertFalse(SupportEvent.objects.exists())

    def test_a_curator_loads_only_events_of_their_schools(self) -> None:
        result = self.load(self.curator, row(organiser="куратор"),
                           row(topic="Не моя школа", schools="A", organiser="куратор"))
        self.assertFalse(result.ok)
        [problem] = result.problems
        self.assertIn("школа с кодом «A» не закреплена за вами", problem.message)
        self.assertEqual(problem.row, 4)
        self.assertFalse(SupportEvent.objects.exists())

    def test_the_same_file_twice_changes_nothing_and_known_events_are_skipped(self) -> None:
        path = workbook(Path(self.tmp()) / "log.xlsx", row())
        first = import_event_log(by=self.coordinator, municipality=self.first, path=path)
        again = import_event_log(by=self.coordinator, municipality=self.first, path=path)
        self.assertTrue(first.ok)
        self.assertEqual((again.record, again.earlier), (None, first.record))
        wider = self.load(self.coordinator, row(), row(topic="Ещё визит"), name="второй.xlsx")
        self.assertEqual((wider.record.counts["created"], wider.record.counts["already"]), (1, 1))
        self.assertEqual(SupportEvent.objects.count(), 2)

    def test_the_page_shows_the_problems_table_and_offers_it_as_xlsx(self) -> None:
        path = workbook(Path(self.tmp()) / "log.xlsx", row(kind="экскурсия"))
        self.client.force_login(self.coordinator)
        response = self.client.post("/support/import/", {"file": SimpleUploadedFile(
            "журнал.xlsx", path.read_bytes())}, follow=True)
        self.assertContains(response, "Журнал не загружен — ничего не сохранено")
        self.assertContains(response, "«экскурсия» — неизвестный вид мероприятия")
        record = EventImport.objects.get()
        sheet = self.client.get(f"/support/import/{record.pk}/problems.xlsx")
        self.assertEqual(sheet.status_code, 200)
        self.assertIn("spreadsheetml", sheet["Content-Type"])

    def test_the_blank_template_is_downloadable_and_reads_back_empty(self) -> None:
        self.client.force_login(self.curator)
        response = self.client.get("/support/import/template.xlsx")
        path = Path(self.tmp()) / "blank.xlsx"
        path.write_bytes(b"".join(response.streaming_content))
        self.assertEqual(read_event_log(path).rows, [])
