"""A process forked after the rules used their thread pool still gets its work done
(:mod:`opora.engine.threads`): the child has none of the parent's threads, and work handed to the
inherited pool used to wait forever (found by the mutation bench, whose runner forks a process
per mutant after running the tests once)."""

from __future__ import annotations

import os
import select
import signal
import sys

import pytest

from opora.engine.threads import parallel_map, submit, workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32",
                                reason="fork is POSIX-only")


def run_in_fork(work: object) -> bytes:
    """Run ``work()`` in a forked child; its bytes, or b"hung" when it takes over 20 s."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.write(write, work())  # type: ignore[operator]
        finally:
            os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 20)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return b"hung"
    answer = os.read(read, 100)
    os.waitpid(pid, 0)
    return answer


def test_a_forked_child_runs_parallel_work_after_the_parent_used_the_pool() -> None:
    assert workers() >= 1
    assert parallel_map(lambda x: x * 2, range(4)) == [0, 2, 4, 6]  # the parent's pool exists

    def child() -> bytes:
        doubled = parallel_map(lambda x: x * 2, range(4))
        later = submit(lambda: 7).result()
        return repr((doubled, later)).encode()

    assert run_in_fork(child) == b"([0, 2, 4, 6], 7)"
