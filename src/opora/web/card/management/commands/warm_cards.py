"""``opora manage warm_cards [--run N]``: render school cards ahead of their readers.

The worker does this when a run finishes (card/warming.py). By hand it is for a cache that
was emptied (Redis restarted: it keeps nothing on disk) or filled before an upgrade. Without
``--run``, the newest finished run of every municipality and every region-wide run that is
some school's newest are warmed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.web.analysis.models import DONE, AnalysisRun
from opora.web.card.warming import cache_is_shared, warm_run_cards


def newest_runs() -> list[AnalysisRun]:
    """The newest finished run per municipality and per region (region-wide runs)."""
    chosen: dict[tuple[int, int | None], AnalysisRun] = {}
    for run in AnalysisRun.objects.filter(status=DONE).order_by("-finished_at", "-pk"):
        chosen.setdefault((run.region_id, run.municipality_id), run)
    return sorted(chosen.values(), key=lambda r: r.pk)


class Command(BaseCommand):
    help = "Построить карточки школ заранее (после расчёта или после очистки кэша)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run", type=int, help="номер расчёта (по умолчанию — самые новые)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not cache_is_shared():
            self.stderr.write("Кэш у каждого процесса свой (не заданы OPORA_REDIS_URL и "
                              "OPORA_CACHE_DIR): карточки, построенные здесь, сервер не увидит.")
        if options["run"] is not None:
            run = AnalysisRun.objects.filter(pk=options["run"], status=DONE).first()
            if run is None:
                raise CommandError(f"Завершённого расчёта № {options['run']} нет.")
            runs = [run]
        else:
            runs = newest_runs()
        for run in runs:
            warmed = warm_run_cards(run)
            self.stdout.write(f"Расчёт № {run.pk} ({run.scope_name}): карточек построено — "
                              f"{warmed.cards}, уже показывают более новый расчёт — "
                              f"{warmed.skipped}; {warmed.seconds} с.")
        if not runs:
            self.stdout.write("Завершённых расчётов нет: строить нечего.")
