"""Both cores at work: whole-array NumPy and Arrow work split over threads (issue 18).

NumPy's ufuncs, ``take`` and ``bincount`` and Arrow's kernels let go of the interpreter while
they run, so threads of one process do run at once on such work. The rules split it into
independent pieces — a task column, a block of rows, a boundary — that each write only their own
outputs, so the numbers are the same whatever the threads' order (:func:`parallel_map`); the
engine's stage assembles one batch of cells while the engine computes the next
(:func:`submit`). One pool serves the process; inside its threads the work runs in place, so a
piece never waits on the pool it runs in.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_IN_POOL = threading.local()


def workers() -> int:
    """How many threads share the work: the machine's cores."""
    return max(os.cpu_count() or 1, 1)


def _pool() -> ThreadPoolExecutor | None:
    """The process's pool, or ``None`` where the work runs in place (one core, a pool thread)."""
    global _POOL
    if workers() < 2 or getattr(_IN_POOL, "active", False):
        return None
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(workers(), thread_name_prefix="opora-work",
                                       initializer=_mark_pool_thread)
    return _POOL


def _mark_pool_thread() -> None:
    _IN_POOL.active = True


def _forget_pool() -> None:
    """In a forked child: the parent's pool threads do not exist there, so work handed to the
    inherited pool would wait forever; the child makes its own pool when it needs one. (A worker
    process forked after an analysis, a test runner that forks per test: each hung before.)"""
    global _POOL, _POOL_LOCK
    _POOL = None
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def parallel_map(fn: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
    """``[fn(x) for x in items]`` on the pool, the results in the items' order.

    The calling thread takes items too, from the same queue as the pool's helpers: when the
    pool is busy with another caller's work (objectivity's task columns beside identification,
    issue 18), the caller does its own items instead of waiting behind that work in the pool's
    queue; a helper that starts after the items are gone returns at once. Each item is done
    exactly once, by whichever thread takes it first.
    """
    items = list(items)
    pool = _pool() if len(items) > 1 else None
    if pool is None:
        return [fn(x) for x in items]
    results: list[Any] = [None] * len(items)
    taken = iter(range(len(items)))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                i = next(taken, None)
            if i is None:
                return
            results[i] = fn(items[i])

    helpers = [pool.submit(work) for _ in range(min(workers(), len(items)) - 1)]
    try:
        work()
    finally:
        with lock:  # after a failure here, the helpers take nothing more
            for _ in taken:
                pass
        for helper in helpers:
            if not helper.cancel():  # started: wait for the item it holds
                helper.exception()
    for helper in helpers:
        if not helper.cancelled() and helper.exception() is not None:
            raise helper.exception()  # type: ignore[misc]
    return results


def submit(fn: Callable[..., T], *args: Any) -> Future[T]:
    """``fn(*args)`` on the pool; done at once in place where there is no pool."""
    pool = _pool()
    if pool is not None:
        return pool.submit(fn, *args)
    done: Future[T] = Future()
    try:
        done.set_result(fn(*args))
    except BaseException as exc:  # handed to the caller by ``result()``, as the pool would
        done.set_exception(exc)
    return done


def row_chunks(n: int, size: int = 1 << 17) -> list[slice]:
    """Slices covering ``range(n)`` in order, ``size`` rows each (the last shorter): small enough
    to stay in the processor's cache through a chain of NumPy operations, many enough to keep
    every thread busy."""
    return [slice(start, min(start + size, n)) for start in range(0, n, size)] or [slice(0, 0)]
