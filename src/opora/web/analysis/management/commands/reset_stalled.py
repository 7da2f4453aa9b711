"""``opora manage reset_stalled``: mark background work whose worker died as interrupted.

Analysis runs and uploaded files left «выполняется» / «обрабатывается» by a worker that was
killed (or a machine that restarted) are marked failed with «Обработка прервана: …», so the
coordinator sees what happened and can start them again. Only jobs untouched for longer than
``OPORA_STALLED_AFTER_MINUTES`` count (:mod:`opora.web.core.background`): a live worker touches its
job every minute, so running this next to live workers is safe. ``opora worker`` runs the same
reset when it starts. Queued jobs that merely wait for a worker are reported, not touched.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opora.web.analysis.recovery import runs_reset_stalled
from opora.web.core.background import stalled_minutes
from opora.web.imports.recovery import entries_reset_stalled


def reset_stalled_jobs(*, sole_worker: bool = False) -> dict[str, dict[str, int]]:
    """Reset stalled analysis runs and upload files; ``{"runs": {...}, "files": {...}}`` with
    ``interrupted`` and ``waiting`` counts each. ``sole_worker``: every running job is dead."""
    return {"runs": runs_reset_stalled(sole_worker=sole_worker),
            "files": entries_reset_stalled(sole_worker=sole_worker)}


def report(found: dict[str, dict[str, int]], *, sole_worker: bool = False) -> str:
    """The Russian summary of :func:`reset_stalled_jobs`."""
    runs, files = found["runs"], found["files"]
    why = ("прежний обработчик остановился" if sole_worker
           else f"не обновлялись дольше {stalled_minutes()} мин")
    lines = [f"Отмечено как прерванные ({why}): "
             f"расчётов — {runs['interrupted']}, файлов загрузки — {files['interrupted']}."]
    if runs["waiting"] or files["waiting"]:
        lines.append(f"Ждут фонового обработчика (не тронуты, выполнятся после его запуска): "
                     f"расчётов — {runs['waiting']}, файлов загрузки — {files['waiting']}.")
    return "\n".join(lines)


class Command(BaseCommand):
    help = ("Отметить как прерванные расчёты и файлы загрузки, брошенные остановившимся фоновым "
            "обработчиком (дольше OPORA_STALLED_AFTER_MINUTES без обновлений)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true",
                            help="ничего не печатать, если прерванного и ждущего нет")
        parser.add_argument("--sole-worker", action="store_true",
                            help="обработчик один и прежний остановился: всё выполняющееся "
                                 "прервано, без ожидания порога (так делает демо при перезапуске)")

    def handle(self, *args: Any, **options: Any) -> None:
        sole = options["sole_worker"]
        found = reset_stalled_jobs(sole_worker=sole)
        if options["quiet"] and not any(n for counts in found.values() for n in counts.values()):
            return
        self.stdout.write(report(found, sole_worker=sole))
