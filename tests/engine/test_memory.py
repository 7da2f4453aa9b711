"""``opora analyze`` asks glibc's malloc to keep freed blocks for reuse before the rules
(:mod:`opora.engine.memory`, issue 18): a large array made again after one was freed must not
fault in new pages from the kernel. Run in fresh interpreters, as the setting is per process."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")

SCRIPT = """
import resource, sys
import numpy as np
from opora.engine.memory import keep_freed_memory
took = keep_freed_memory() if sys.argv[1] == "keep" else None
a = np.ones(8 << 20)  # 64 MB
del a
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
b = np.ones(8 << 20)
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults_of_a_second_array(mode: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True,
                         check=True).stdout.split()
    return out[0], int(out[1])


def test_a_freed_large_array_is_reused_without_new_pages_once_freed_memory_is_kept() -> None:
    took, kept = faults_of_a_second_array("keep")
    _, plain = faults_of_a_second_array("plain")
    assert took == "True"
    assert plain > 0, "glibc returned the block to the kernel: the second array faults"
    assert kept < plain / 10
