"""``opora manage import FILE``: load one file into the database, all or nothing, in Russian."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.formats import FORMATS, ReadHints
from opora.web.imports.services import import_file
from opora.web.schools.models import Municipality, Region


class Command(BaseCommand):
    help = "Загрузить файл (бланк ВПР, таблицу ЕГЭ/ОГЭ, шаблон Опоры, Parquet) в базу"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл или каталог с <таблица>.parquet")
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
        outcome = import_file(path=options["file"], user=user, hints=hints,
                              format=options["format"], region=region, municipality=municipality,
                              create_missing_schools=options["create_missing_schools"],
                              create_territories=options["create_territories"])
        if outcome.status == "failed":
            self.stderr.write(outcome.summary())
            raise SystemExit(1)
        self.stdout.write(f"Запись о загрузке №{outcome.batch.pk}. {outcome.summary()}")


def _find(model: Any, name: str | None, what: str) -> Any:
    if not name:
        return None
    found = model.objects.filter(name=name).first()
    if found is None:
        raise CommandError(f"{what} «{name}» не найден в реестре")
    return found
