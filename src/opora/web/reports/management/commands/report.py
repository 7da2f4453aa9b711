"""``opora manage report KIND --municipality NAME --year YYYY [--school KEY] --out FILE``;
``opora manage report indicators --municipality NAME --year YYYY [--school KEY] --out FILE``;
``opora manage report review --review ID --out FILE`` (ID: the expert sheet's number, as in
its page's address ``/programmes/reviews/sheets/ID/``).

The same reports as the «Отчёты» page, built as the superuser would see them (the command line is
the server's operator). Exit 2 with a Russian reason when the data for the report is missing;
nothing is written then.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from opora.web.accounts.scope import Viewer
from opora.web.reports import services
from opora.web.reports.data import ReportDataMissing
from opora.web.schools.models import Municipality, School


class Command(BaseCommand):
    help = ("построить отчёт: note (справка), protocol (протокол), school (профиль школы), "
            "indicators (таблицы показателей), review (экспертный лист)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["note", "protocol", "school", "indicators",
                                             "review"])
        parser.add_argument("--municipality", default="")
        parser.add_argument("--year", type=int)
        parser.add_argument("--school", default="",
                            help="код школы (для school; для indicators — таблица одной школы)")
        parser.add_argument("--review", type=int, help="номер экспертного листа (для review)")
        parser.add_argument("--out", required=True, help="файл .docx, .pdf или .xlsx")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        fmt = out.suffix.lstrip(".").lower()
        if fmt not in services.FORMATS:
            self._fail("Файл должен оканчиваться на .docx, .pdf или .xlsx.")
        viewer = Viewer(get_user_model()(is_superuser=True, is_active=True))
        viewer.active = viewer.superuser = True
        school = town = None
        kind = options["kind"]
        if kind == "school" or (kind == "indicators" and options["school"]):
            school = School.objects.select_related("municipality__region").filter(
                key=options["school"]).first()
            if school is None:
                self._fail(f"Школа с кодом «{options['school']}» не найдена.")
        elif kind == "review":
            if options["review"] is None:
                self._fail("Укажите номер экспертного листа: --review НОМЕР.")
        else:
            town = Municipality.objects.select_related("region").filter(
                name=options["municipality"]).first()
            if town is None:
                self._fail(f"Муниципалитет «{options['municipality']}» не найден.")
        if kind in ("note", "protocol", "indicators") and options["year"] is None:
            self._fail("Укажите год: --year ГГГГ.")
        try:
            built = services.build(viewer=viewer, kind=kind, fmt=fmt, municipality=town,
                                   year=options["year"], school=school,
                                   review=options["review"])
        except ReportDataMissing as error:
            self._fail(str(error))
        out.write_bytes(built.content)
        self.stdout.write(f"Записан {out} ({len(built.content) // 1024} КБ): {built.title}")
