"""helpers.memory: memory a computation freed goes back to the operating system."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from helpers import memory


def _resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_release_runs_everywhere():
    memory.arrow()
    memory.release()  # a no-op for malloc where the C library has no malloc_trim, never an error


@pytest.mark.skipif(memory._malloc_trim() is None or not Path("/proc/self/statm").exists(),
                    reason="glibc's malloc_trim and /proc are Linux's")
def test_release_returns_the_pages_a_computation_left_between_live_objects():
    """Small arrays freed between survivors stay with malloc (the heap cannot shrink past a survivor) until released."""
    memory.release()
    arrays = [np.full(900, i, dtype=np.int64) for i in range(40_000)]  # 7 KB each, below malloc's mmap threshold
    survivors = arrays[::16]  # one in sixteen lives on, pinning the heap
    del arrays
    held = _resident_bytes()
    memory.release()
    assert held - _resident_bytes() > 100 * 2**20  # of the 270 MB freed, most goes back
    assert sum(int(a[0]) for a in survivors) == sum(range(0, 40_000, 16))
