"""``opora manage import FILE …``: load files into the database, each all or nothing, in Russian.

Many files at once (a region's 20 000 ВПР forms): each is loaded in its own transaction, so a
rejected file loses nothing of the others; the files are read ahead in child processes while
the previous ones are written (:func:`opora.web.imports.services.read_ahead`). A line per file
says what happened to it, and the last line sums up; the exit code is 1 if any file was rejected.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.formats import FORMATS, ReadHints
from opora.web.imports.loading import bulk_session
from opora.web.imports.outcome import ImportOutcome
from opora.web.imports.services import import_file, read_ahead
from opora.web.schools.models import Municipality, Region

logger = logging.getLogger(__name__)

INTERNAL_ERROR = ("не удалось обработать из-за внутренней ошибки программы; ничего не сохранено "
                  "(подробности — в журнале)")


class Command(BaseCommand):
    help = ("Загрузить файлы (бланки ВПР, таблицы ЕГЭ/ОГЭ, шаблоны Опоры, Parquet) в базу: каждый "
            "файл целиком или никак")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="file",
                            help="файл или каталог с <таблица>.parquet; можно несколько")
        parser.add_argument("--files-from", metavar="СПИСОК",
                            help="текстовый файл со списком файлов, по одному на строке "
                                 "(«-» — стандартный ввод): для тысяч файлов")
        parser.add_argument("--format", default="auto", help=" | ".join(FORMATS))
        parser.add_argument("--school", help="ключ или логин ФИС ОКО школы (для бланка ВПР)")
        parser.add_argument("--procedure", help="VPR, OGE, EGE, …")
        parser.add_argument("--subject", help="код предмета: rus, math, …")
        parser.add_argument("--grade", type=int)
        parser.add_argument("--year", type=int, help="календарный год проведения")
        parser.add_argument("--region", help="регион (наименование, как в реестре)")
        parser.add_argument("--municipality", help="муниципалитет (наименование, как в реестре)")
        parser.add_argument("--user", help="имя пользователя, от чьего имени загрузка")
        parser.add_argument("--create-missing-schools", action="store_true",
                            help="создать в реестре школы, которых в нём нет (после проверки!)")
        parser.add_argument("--create-territories", action="store_true",
                            help="создать регионы и муниципалитеты, которых нет в реестре, по "
                                 "строкам итогов файла (после проверки!)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in [*options["files"], *_listed(options["files_from"])]]
        if not paths:
            raise CommandError("укажите файл (или --files-from со списком файлов)")
        municipality = _find(Municipality, options["municipality"], "муниципалитет")
        region = _find(Region, options["region"], "регион")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"пользователь «{options['user']}» не найден")
        hints = ReadHints(school_key=options["school"], procedure=options["procedure"],
                          subject=options["subject"], grade=options["grade"], year=options["year"],
                          municipality=municipality.name if municipality else None,
                          region=region.name if region else None)
        load = {"user": user, "hints": hints, "format": options["format"], "region": region,
                "municipality": municipality,
                "create_missing_schools": options["create_missing_schools"],
                "create_territories": options["create_territories"]}
        if len(paths) == 1:
            outcome = import_file(path=paths[0], **load)
            if outcome.status == "failed":
                self.stderr.write(outcome.summary())
                raise SystemExit(1)
            self.stdout.write(f"Запись о загрузке №{outcome.batch.pk}. {outcome.summary()}")
            return
        self._many(paths, load)

    def _many(self, paths: list[Path], load: dict[str, Any]) -> None:
        counts = {"succeeded": 0, "duplicate": 0, "failed": 0}
        total = len(paths)
        with bulk_session():
            files = [(p, load["format"], load["hints"]) for p in paths]
            for number, (path, read) in enumerate(zip(paths, read_ahead(files), strict=True), 1):
                head = f"Файл {number} из {total}"
                try:
                    outcome: ImportOutcome | None = import_file(path=path, read=read, **load)
                except Exception:  # one file's crash must not stop the other files
                    logger.exception("import of %s crashed", path)
                    outcome = None
                if outcome is None:
                    counts["failed"] += 1
                    self.stderr.write(f"{head}: «{path.name}» {INTERNAL_ERROR}")
                elif outcome.status == "failed":
                    counts["failed"] += 1
                    self.stderr.write(f"{head}: {outcome.summary()}")
                else:
                    counts[outcome.status] = counts.get(outcome.status, 0) + 1
                    batch = (f"запись о загрузке №{outcome.batch.pk}. "
                             if outcome.status == "succeeded" else "")
                    self.stdout.write(f"{head}: {batch}{outcome.summary()}")
        self.stdout.write(f"Итого файлов: {total}; загружено: {counts['succeeded']}, уже были "
                          f"загружены: {counts['duplicate']}, отклонено: {counts['failed']}.")
        if counts["failed"]:
            raise SystemExit(1)


def _listed(source: str | None) -> list[str]:
    """The paths of a ``--files-from`` list: one a line, blank lines skipped."""
    if not source:
        return []
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"список файлов «{source}» не читается: {exc}") from exc
    return [line.strip() for line in text.splitlines() if line.strip()]


def _find(model: Any, name: str | None, what: str) -> Any:
    if not name:
        return None
    found = model.objects.filter(name=name).first()
    if found is None:
        raise CommandError(f"{what} «{name}» не найден в реестре")
    return found
