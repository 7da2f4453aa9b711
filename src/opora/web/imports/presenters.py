"""What the job page shows per file, prepared once per request (no queries in templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from opora.web.core.background import stall_state
from opora.web.imports.jobs import entry_interrupted
from opora.web.imports.models import UploadEntry
from opora.web.imports.outcome import TABLE_NAMES_RU

PROBLEMS_SHOWN = 50  # the rest is in the XLSX download


@dataclass
class EntryView:
    entry: UploadEntry
    read: list[tuple[str, int]] = field(default_factory=list)
    written: list[tuple[str, int]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    more_problems: int = 0
    stall: str = ""  # "stalled" (worker died while on it), "waiting" (no worker took it) or ""
    interrupted: bool = False  # failed because its worker stopped: may be run again


def entry_views(entries: list[UploadEntry]) -> list[EntryView]:
    views, now = [], timezone.now()
    for entry in entries:
        view = EntryView(entry, interrupted=entry_interrupted(entry), stall=stall_state(
            status=entry.status, touched_at=entry.updated_at, queued=UploadEntry.QUEUED,
            running=UploadEntry.RUNNING, now=now))
        counts = entry.counts or {}
        view.read = [(TABLE_NAMES_RU.get(n, n), c) for n, c in counts.get("read", {}).items()]
        view.written = [(TABLE_NAMES_RU.get(n, n), c) for n, c in counts.get("written", {}).items()]
        if entry.status in (UploadEntry.DONE, UploadEntry.FAILED) and entry.batch is not None:
            problems = list(entry.batch.problems or [])
            view.problems = problems[:PROBLEMS_SHOWN]
            view.more_problems = max(0, len(problems) - PROBLEMS_SHOWN)
        views.append(view)
    return views
