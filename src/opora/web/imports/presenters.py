"""What the job page shows per file, prepared once per request (no queries in templates)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from opora.web.core.background import STALLED, WAITING, stall_state
from opora.web.imports.jobs import entry_interrupted
from opora.web.imports.models import UploadEntry, UploadJob
from opora.web.imports.outcome import TABLE_NAMES_RU

PROBLEMS_PER_PAGE = 100  # the paged full list of an upload's problems
ATTENTION_SHOWN = 50  # rejected files listed while the others still run


@dataclass
class JobState:
    """How far an upload has got, counted by the database in one query (the page polls it every
    second: with 500 files, rendering every file each time cost ~130 ms and 330 KB a poll)."""

    total: int = 0
    done: int = 0
    failed: int = 0
    duplicate: int = 0
    confirm: int = 0
    pending: int = 0  # queued or running
    stalled: bool = False  # a running file untouched longer than the threshold
    waiting: bool = False  # a queued file no worker took within the threshold

    @property
    def finished(self) -> int:
        return self.total - self.pending

    @property
    def running(self) -> bool:
        return self.pending > 0

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100


def job_state(job: UploadJob) -> JobState:
    by = {s: Count("pk", filter=Q(status=s)) for s in (
        UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.DUPLICATE, UploadEntry.CONFIRM)}
    pending = Q(status__in=[UploadEntry.QUEUED, UploadEntry.RUNNING])
    row = UploadEntry.objects.filter(job=job).aggregate(
        total=Count("pk"), pending=Count("pk", filter=pending), **by,
        oldest_running=Min("updated_at", filter=Q(status=UploadEntry.RUNNING)),
        oldest_queued=Min("updated_at", filter=Q(status=UploadEntry.QUEUED)))
    now = timezone.now()

    def stall(status: str, touched: object) -> str:
        return stall_state(status=status, touched_at=touched,  # type: ignore[arg-type]
                           queued=UploadEntry.QUEUED, running=UploadEntry.RUNNING, now=now)

    return JobState(
        total=row["total"], done=row[UploadEntry.DONE], failed=row[UploadEntry.FAILED],
        duplicate=row[UploadEntry.DUPLICATE], confirm=row[UploadEntry.CONFIRM],
        pending=row["pending"],
        stalled=stall(UploadEntry.RUNNING, row["oldest_running"]) == STALLED,
        waiting=stall(UploadEntry.QUEUED, row["oldest_queued"]) == WAITING)


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
