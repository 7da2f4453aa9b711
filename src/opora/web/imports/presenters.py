"""What the job page shows per file, prepared once per request (no queries in templates)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from opora.web.core.background import stall_state
from opora.web.imports.jobs import entry_interrupted
from opora.web.imports.models import UploadEntry
from opora.web.imports.outcome import TABLE_NAMES_RU

PROBLEMS_PER_PAGE = 100  # the paged full list of an upload's problems


@dataclass
class EntryView:
    """The problems themselves are in the entry's message, grouped (one line per kind and
    column, :func:`opora.web.imports.outcome.grouped_lines`); the full list is paged on its own
    page and downloadable as XLSX — never printed in full here (issue 11: 2,1 MB of HTML)."""

    entry: UploadEntry
    read: list[tuple[str, int]] = field(default_factory=list)
    written: list[tuple[str, int]] = field(default_factory=list)
    stall: str = ""  # "stalled" (worker died while on it), "waiting" (no worker took it) or ""
    interrupted: bool = False  # failed because its worker stopped: may be run again
    rejected: int = 0  # rows the reader rejected
    skippable: bool = False  # may be loaded «без отклонённых строк»
    replaced: list[tuple[str, int]] = field(default_factory=list)  # what it replaces or replaced


def entry_views(entries: list[UploadEntry]) -> list[EntryView]:
    views, now = [], timezone.now()
    for entry in entries:
        view = EntryView(entry, interrupted=entry_interrupted(entry), stall=stall_state(
            status=entry.status, touched_at=entry.updated_at, queued=UploadEntry.QUEUED,
            running=UploadEntry.RUNNING, now=now))
        counts = entry.counts or {}
        view.read = [(TABLE_NAMES_RU.get(n, n), c) for n, c in counts.get("read", {}).items()]
        view.written = [(TABLE_NAMES_RU.get(n, n), c) for n, c in counts.get("written", {}).items()]
        view.replaced = [(TABLE_NAMES_RU.get(n, n), c)
                         for n, c in (counts.get("replaced") or {}).items()]
        view.rejected = int(counts.get("rejected") or 0)
        view.skippable = entry.status == UploadEntry.FAILED and bool(counts.get("skippable"))
        views.append(view)
    return views
