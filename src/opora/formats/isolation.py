"""Read a file in a child process with a memory and a time limit, so no file can kill the caller.

The readers run native code (python-calamine is Rust, pyarrow C++): a failed allocation there
aborts the process instead of raising, and a damaged file may make a parser loop. The checks in
:mod:`opora.formats.xlsx_extent` refuse the known bombs before reading; this module is the net
under everything else. :func:`read_file_isolated` forks a child from a small, clean server
process (multiprocessing's *forkserver*, with the readers imported once, so a file costs a fork
and not a fresh interpreter), limits the child's address space to what it already has plus
:attr:`ReadLimits.memory_mb`, and waits at most :attr:`ReadLimits.seconds`. Whatever happens in
the child — an abort, a segmentation fault, the time running out, a bug raising in a reader —
becomes :class:`UnreadableFile` «файл не удалось прочитать: …» for that file, and the caller (the
background worker, ``opora read``) lives on.

Limits come from ``OPORA_READER_MEMORY_MB`` (default 2048) and ``OPORA_READER_SECONDS``
(default 600); docs/operations.md explains them.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from opora.formats.base import ReadResult, UnreadableFile
from opora.formats.hints import ReadHints
from opora.formats.registry import READERS

logger = logging.getLogger(__name__)

DEFAULT_MEMORY_MB = 2048
DEFAULT_SECONDS = 600.0
# «__main__» first: the server imports the caller's main module once, so that a child does not
# run it again (multiprocessing re-imports it in every child otherwise; it must be guarded by
# ``if __name__ == "__main__"``, as console scripts are).
_PRELOAD = ["__main__", "opora.formats", "opora.formats.isolation",
            *(reader.module for reader in READERS)]


@dataclass(frozen=True)
class ReadLimits:
    """How much memory (beyond what the child starts with) and time one file may take."""

    memory_mb: int = DEFAULT_MEMORY_MB
    seconds: float = DEFAULT_SECONDS

    @classmethod
    def from_env(cls) -> ReadLimits:
        return cls(memory_mb=int(os.environ.get("OPORA_READER_MEMORY_MB", DEFAULT_MEMORY_MB)),
                   seconds=float(os.environ.get("OPORA_READER_SECONDS", DEFAULT_SECONDS)))


@dataclass
class IsolatedRead:
    """The child's answer: the result, or the Russian reason; and its peak memory (MB)."""

    result: ReadResult | None
    reason: str
    peak_mb: float


def read_file_isolated(path: Path | str, format: str = "auto", hints: ReadHints | None = None,
                       limits: ReadLimits | None = None) -> ReadResult:
    """:func:`opora.formats.read_file` in a child process; raise :class:`UnreadableFile` on failure."""
    answer = read_in_child(path, format, hints, limits)
    if answer.result is None:
        raise UnreadableFile(answer.reason)
    return answer.result


def read_in_child(path: Path | str, format: str = "auto", hints: ReadHints | None = None,
                  limits: ReadLimits | None = None) -> IsolatedRead:
    """Run the reader in a child; never raises for anything the file does to the reader."""
    path = Path(path)
    limits = limits or ReadLimits.from_env()
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, name=f"opora-read {path.name}",
                            args=(sender, str(path), format, hints or ReadHints(),
                                  limits.memory_mb))
    child.start()
    sender.close()
    payload = None
    try:
        payload = _receive(receiver, limits.seconds)
    finally:
        receiver.close()
        timed_out = _reap(child, answered=payload is not None)
    if payload is None:
        return IsolatedRead(None, _death_reason(path, child.exitcode, limits, timed_out), 0.0)
    return _answer_of(path, payload, limits)


def read_many_in_children(items: Sequence[tuple[Path | str, str, ReadHints | None]],
                          limits: ReadLimits | None = None, *, readers: int | None = None
                          ) -> Iterator[IsolatedRead]:
    """:func:`read_in_child` for many files, answered in their order, with the same guarantees.

    Forking a child costs more than reading a ВПР form of 30 rows, so a child here reads a
    *chunk* of files (:data:`CHUNK_FILES`, or fewer when they are big), answering each file as
    it is read; ``readers`` children (``OPORA_READER_PROCESSES``, default: the number of cores,
    at most 4) read the next chunks while the caller works on the files already answered. The
    memory limit holds for each child and the time limit for each file. A child that dies or
    runs out of time takes only the file it was reading: that file gets the reason, and a new
    child reads the rest of its chunk. Consumed lazily: at most ``readers + 1`` chunks are read
    ahead of the caller.
    """
    limits = limits or ReadLimits.from_env()
    readers = readers or reader_processes()
    chunks = _chunks([(Path(p), f, h or ReadHints()) for p, f, h in items])
    if readers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from _read_chunk(chunk, limits)
        return
    with ThreadPoolExecutor(max_workers=readers, thread_name_prefix="opora-read") as pool:
        pending: deque[Future[list[IsolatedRead]]] = deque()
        upcoming = iter(chunks)
        for chunk in itertools.islice(upcoming, readers + 1):
            pending.append(pool.submit(_read_chunk, chunk, limits))
        while pending:
            answers = pending.popleft().result()
            following = next(upcoming, None)
            if following is not None:
                pending.append(pool.submit(_read_chunk, following, limits))
            yield from answers


#: Files a child reads before it ends (a new child for the next chunk starts with a fresh heap).
CHUNK_FILES = 25
#: Bytes of files (on disk) a chunk holds at most, unless one file alone is bigger.
CHUNK_BYTES = 8 * 1024 * 1024


def reader_processes() -> int:
    """How many children read at once (``OPORA_READER_PROCESSES``; default: cores, at most 4)."""
    configured = os.environ.get("OPORA_READER_PROCESSES", "")
    if configured.strip():
        return max(1, int(configured))
    return max(1, min(4, os.cpu_count() or 1))


def _chunks(items: list[tuple[Path, str, ReadHints]]) -> list[list[tuple[Path, str, ReadHints]]]:
    chunks: list[list[tuple[Path, str, ReadHints]]] = []
    size = 0
    for item in items:
        try:
            item_size = item[0].stat().st_size
        except OSError:
            item_size = 0
        if not chunks or len(chunks[-1]) >= CHUNK_FILES or size + item_size > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += item_size
    return chunks


def _read_chunk(chunk: list[tuple[Path, str, ReadHints]], limits: ReadLimits
                ) -> list[IsolatedRead]:
    """Read a chunk in children: one child for all of it, another for what is left after a
    child died or ran out of time (that file gets the reason) or stopped after a MemoryError."""
    answers: list[IsolatedRead] = []
    while len(answers) < len(chunk):
        left, before = chunk[len(answers):], len(answers)
        context = _context()
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_child_many, name=f"opora-read {left[0][0].name} (+{len(left) - 1})",
            args=(sender, [(str(p), f, h) for p, f, h in left], limits.memory_mb))
        child.start()
        sender.close()
        timed_out = False
        try:
            while len(answers) < len(chunk):
                if not receiver.poll(limits.seconds):
                    timed_out = True
                    break
                try:
                    payload: tuple[str, Any, float] = receiver.recv()
                except (EOFError, OSError):
                    break  # the child ended: by itself after a MemoryError, or it died
                answers.append(_answer_of(chunk[len(answers)][0], payload, limits))
        finally:
            receiver.close()
            killed = _reap(child, answered=not timed_out)
        if len(answers) < len(chunk) and (timed_out or killed or child.exitcode != 0
                                          or len(answers) == before):
            path = chunk[len(answers)][0]
            answers.append(IsolatedRead(
                None, _death_reason(path, child.exitcode, limits, timed_out or killed), 0.0))
    return answers


def _answer_of(path: Path, payload: tuple[str, Any, float], limits: ReadLimits) -> IsolatedRead:
    kind, value, peak = payload
    if kind == "ok":
        return IsolatedRead(value, "", peak)
    return IsolatedRead(None, _child_reason(path, kind, value, limits), peak)


def _receive(receiver: Connection, seconds: float) -> tuple[str, Any, float] | None:
    """The child's payload, or None when it died or ran out of time before answering."""
    try:
        if not receiver.poll(seconds):
            return None
        payload: tuple[str, Any, float] = receiver.recv()
        return payload
    except (EOFError, OSError):
        return None


def _reap(child: multiprocessing.process.BaseProcess, *, answered: bool) -> bool:
    """Wait for the child to end; kill it at once if it has not answered. True if it was killed
    here (out of time) rather than ending by itself."""
    child.join(timeout=5 if answered else 0.2)
    if not child.is_alive():
        return False
    child.kill()
    child.join()
    return True


def _death_reason(path: Path, exitcode: int | None, limits: ReadLimits, timed_out: bool) -> str:
    prefix = f"файл {path.name} не удалось прочитать"
    if timed_out:
        logger.warning("reader of %s stopped after %s s", path.name, limits.seconds)
        return (f"{prefix}: чтение не закончилось за {_seconds(limits.seconds)} — файл слишком "
                "сложен или повреждён; ничего не сохранено")
    if exitcode == -signal.SIGKILL:
        logger.warning("reader of %s killed by the system (out of memory?)", path.name)
        return (f"{prefix}: программа чтения была остановлена системой (вероятно, не хватило "
                "памяти) — файл слишком велик или повреждён; ничего не сохранено")
    if exitcode == -signal.SIGABRT:
        logger.warning("reader of %s aborted (memory limit %s MB)", path.name, limits.memory_mb)
        return (f"{prefix}: для чтения не хватило памяти (предел {limits.memory_mb} МБ) — файл "
                "слишком велик или повреждён; ничего не сохранено")
    logger.error("reader of %s died with exit code %s", path.name, exitcode)
    return (f"{prefix}: программа чтения аварийно завершилась (код {exitcode}) — файл, "
            "вероятно, повреждён; ничего не сохранено")


def _child_reason(path: Path, kind: str, value: str, limits: ReadLimits) -> str:
    if kind == "unreadable":
        return value
    if kind == "memory":
        return (f"файл {path.name} не удалось прочитать: для чтения не хватило памяти (предел "
                f"{limits.memory_mb} МБ) — файл слишком велик или повреждён; ничего не сохранено")
    return (f"файл {path.name} не удалось прочитать: внутренняя ошибка программы чтения "
            f"({value}); ничего не сохранено. Сообщите администратору, приложив файл")


def _seconds(value: float) -> str:
    return f"{value:g} с".replace(".", ",")


# ---- the child -------------------------------------------------------------------------------

def _child(sender: Connection, path: str, format: str, hints: ReadHints, memory_mb: int) -> None:
    _limit_memory(memory_mb)
    _answer(sender, _read_one(path, format, hints))
    sender.close()


def _child_many(sender: Connection, items: list[tuple[str, str, ReadHints]],
                memory_mb: int) -> None:
    """Read ``items`` one after another, answering each as soon as it is read. After a
    :class:`MemoryError` the child stops (its heap may be in pieces): the parent starts a new
    one for the files left."""
    _limit_memory(memory_mb)
    for path, format, hints in items:
        kind = _answer(sender, _read_one(path, format, hints))
        if kind == "memory":
            break
    sender.close()


def _read_one(path: str, format: str, hints: ReadHints) -> tuple[str, Any]:
    from opora.formats import read_file

    try:
        return ("ok", read_file(path, format, hints))
    except UnreadableFile as exc:
        return ("unreadable", str(exc))
    except MemoryError:
        return ("memory", "")
    except Exception as exc:  # a reader's bug: the traceback to the log, a message to the user
        traceback.print_exc()
        return ("crash", type(exc).__name__)


def _answer(sender: Connection, payload: tuple[str, Any]) -> str:
    try:
        sender.send((payload[0], payload[1], peak_memory_mb()))
        return payload[0]
    except MemoryError:
        sender.send(("memory", "", peak_memory_mb()))
        return "memory"


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the child has now plus ``memory_mb``.

    The address space, not the resident size: a process with NumPy and pyarrow loaded already
    reserves ~1.4 GB of address space for 0.12 GB resident, so the cap is relative. A native
    allocation past it fails (calamine then aborts: SIGABRT, reported as «не хватило памяти»).
    """
    try:
        import resource
    except ImportError:  # pragma: no cover — not on Linux: no cap, the time limit still holds
        return
    extra = memory_mb * 1024 * 1024
    current = _status_kb("VmSize") * 1024
    if current:
        resource.setrlimit(resource.RLIMIT_AS, (current + extra, current + extra))


def peak_memory_mb() -> float:
    """The process's peak resident memory so far, in MB (``VmHWM``)."""
    return _status_kb("VmHWM") / 1024


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:  # pragma: no cover — no /proc
        pass
    return 0


_CONTEXT: Any = None  # a multiprocessing context (its type differs by start method)


def _context() -> Any:
    """The forkserver context, its server preloading the readers (started on first use)."""
    global _CONTEXT
    if _CONTEXT is None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload(_PRELOAD)
        _CONTEXT = context
    return _CONTEXT
