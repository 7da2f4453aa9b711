""":func:`opora.engine.threads.parallel_map`: the items' results in order, each item done once,
a failure handed to the caller, and no waiting behind other work in the pool — the caller takes
its own items (issue 18: identification's groupings queued behind objectivity's task columns)."""

from __future__ import annotations

import threading

import pytest

from opora.engine.threads import parallel_map, submit, workers

needs_pool = pytest.mark.skipif(workers() < 2, reason="one core: no pool, the work runs in place")


def test_parallel_map_returns_results_in_the_items_order_and_does_each_item_once():
    seen: list[int] = []
    lock = threading.Lock()

    def square(x: int) -> int:
        with lock:
            seen.append(x)
        return x * x

    assert parallel_map(square, range(50)) == [x * x for x in range(50)]
    assert sorted(seen) == list(range(50))


def test_parallel_map_hands_an_items_failure_to_the_caller():
    def fail_on_seven(x: int) -> int:
        if x == 7:
            raise ValueError("семь")
        return x

    with pytest.raises(ValueError, match="семь"):
        parallel_map(fail_on_seven, range(20))


@needs_pool
def test_parallel_map_finishes_while_every_pool_thread_is_busy_with_other_work():
    release = threading.Event()
    busy = [submit(release.wait, 30) for _ in range(workers())]
    finished: list[list[int]] = []
    caller = threading.Thread(target=lambda: finished.append(parallel_map(abs, [-1, -2, -3])))
    caller.start()
    caller.join(10)
    done_while_busy = not caller.is_alive()
    release.set()
    caller.join(30)
    for future in busy:
        future.result(30)
    assert done_while_busy, "parallel_map waited for the pool's other work"
    assert finished == [[1, 2, 3]]
