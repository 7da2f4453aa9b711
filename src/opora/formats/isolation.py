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

import logging
import multiprocessing
import os
import signal
import traceback
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
    from opora.formats import read_file

    _limit_memory(memory_mb)
    try:
        payload: tuple[str, Any, float] = ("ok", read_file(path, format, hints), 0.0)
    except UnreadableFile as exc:
        payload = ("unreadable", str(exc), 0.0)
    except MemoryError:
        payload = ("memory", "", 0.0)
    except Exception as exc:  # a reader's bug: the traceback to the log, a message to the user
        traceback.print_exc()
        payload = ("crash", type(exc).__name__, 0.0)
    try:
        sender.send((payload[0], payload[1], peak_memory_mb()))
    except MemoryError:
        sender.send(("memory", "", peak_memory_mb()))
    finally:
        sender.close()


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
