"""``opora manage report_templates [--out DIR]``: write the default DOCX templates (the ones the
package ships, ``opora/web/reports/defaults/``) — to make them again after changing
``reports/defaults.py``, or to hand a coordinator a starting point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opora.web.reports.defaults import FOLDER, write_defaults


class Command(BaseCommand):
    help = "записать шаблоны отчётов по умолчанию (DOCX)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=str(FOLDER))

    def handle(self, *args: Any, **options: Any) -> None:
        for path in write_defaults(Path(options["out"])):
            self.stdout.write(f"Записан {path}")
