"""What the job page shows per file, prepared once per request (no queries in templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from opora.web.imports.models import UploadEntry
from opora.web.imports.outcome import TABLE_NAMES_RU

PROBLEMS_SHOWN = 50  # the rest is in the XLSX download
STALLED_AFTER = timedelta(minutes=10)  # no file of ours takes that long: the worker is not running


@dataclass
class EntryView:
    entry: UploadEntry
    read: list[tuple[str, int]] = field(default_factory=list)
    written: list[tuple[str, int]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    more_problems: int = 0
    stalled: bool = False


def entry_views(entries: list[UploadEntry]) -> list[EntryView]:
    views, now = [], timezone.now()
    for entry in entries:
        view = EntryView(entry, stalled=not entry.finished and now - entry.updated_at > STALLED_AFTER)
        counts = entry.counts or {}
        view.read = [(TABLE_NAMES_RU.get(n, n), c) for n, c in counts.get("read", {}).items()]
        view.written = [(TABLE_NAMES_RU.get(n, n), c) for n, c in counts.get("written", {}).items()]
        if entry.status in (UploadEntry.DONE, UploadEntry.FAILED) and entry.batch is not None:
            problems = list(entry.batch.problems or [])
            view.problems = problems[:PROBLEMS_SHOWN]
            view.more_problems = max(0, len(problems) - PROBLEMS_SHOWN)
        views.append(view)
    return views
