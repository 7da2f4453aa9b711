"""Timing the stages of a run for ``run.json`` (``timings_s``), on whichever thread they run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class Timer:
    """Seconds by the clock per stage name, rounded to a millisecond."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


def timed(fn: Callable[..., T], *args: Any) -> tuple[T, float]:
    """``fn(*args)`` and its seconds by the clock (a stage split over threads adds its parts)."""
    start = time.perf_counter()
    found = fn(*args)
    return found, round(time.perf_counter() - start, 3)
