"""Giving memory back to the operating system when a large computation is over.

A notebook's process keeps what its allocators once held. Arrow's memory pool (mimalloc in the pyarrow wheels)
keeps the buffers of every table read from the store for reuse, and glibc's ``malloc`` keeps the free pages between
live objects left by a computation of millions of small arrays and strings: after reading the items table of 10⁴
reports the process held 300 MB more than its data, after text reuse 0.7 GB more (measured). Neither is a leak —
the memory is reused by later allocations of the same kind — but it adds to the process's resident size, and the
study's largest notebook runs several such computations one after another. :func:`release` hands it back:

* :func:`arrow` — ``pyarrow.default_memory_pool().release_unused()`` (cheap; after each read of the store);
* :func:`release` — that, a full garbage collection, and glibc's ``malloc_trim(0)`` where the C library has it
  (Linux with glibc; elsewhere a no-op): after a computation that built and dropped large tables.

Nothing here changes a result; it only changes how much memory the process holds between steps.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import lru_cache

import pyarrow as pa


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim`` (glibc), or None where the C library has none (macOS, musl, Windows)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def arrow() -> None:
    """Return the free memory of Arrow's default pool to the system."""
    pa.default_memory_pool().release_unused()


def release() -> None:
    """Collect garbage, then return the free memory of Arrow's pool and of ``malloc`` to the system."""
    gc.collect()
    arrow()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
