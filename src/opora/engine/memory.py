"""The C allocator's settings for a process that ends after one analysis (``opora analyze``).

After the engine's stage, the rules create and drop hundreds of NumPy arrays of millions of
values. glibc's ``malloc`` serves each large one with a fresh ``mmap`` and returns it to the
kernel when it is freed, so the next one gets new pages that the kernel must zero again: in the
first pass of the rules over a country that is 1–3 s of kernel time (issue 18; a second pass in
the same process spends 0.5 s there, because by then glibc's own threshold has grown).
:func:`keep_freed_memory` makes ``malloc`` keep freed blocks for reuse instead. Measured in three
pairs of whole runs on the country: the rules 4.12–4.32 s against 4.36–4.61 s, kernel time
0.2–0.9 s less, peak memory 40–90 MB more (docs/benchmarks.md, 04.12.2026).

Only for a process that exits after the run: a long-lived one (the site's workers) would keep
its largest analysis's memory for good. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

#: ``mallopt`` parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_UP_TO = 1 << 30  # blocks up to 1 GB come from the heap and go back to it
_TRIM_ABOVE = 1 << 31  # freed memory at the heap's top goes back to the kernel beyond 2 GB


def keep_freed_memory() -> bool:
    """Ask glibc's ``malloc`` to reuse freed blocks rather than map new ones; True if it took."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to set
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_UP_TO)) and bool(
        mallopt(_M_TRIM_THRESHOLD, _TRIM_ABOVE))
