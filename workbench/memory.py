"""Hand heap memory that big, short-lived data freed back to the system.

Python frees a result's rows, but glibc's allocator keeps the freed heap pages for reuse, so
the process keeps fragments of every big response (~50 MB after a 50,000-row page, measured
with ``bench/export_all.py``). ``malloc_trim`` returns them: a Parquet export of 1,000,000
rows peaked at 304 MB without it and 270-274 MB with it (called after each page); the app
calls it once a result's Python rows are dropped. Other C libraries have no such call (and
return memory differently); there this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked_up = False


def release_free_memory() -> None:
    """Return freed heap pages to the system where the C library can (glibc); ~1 ms."""
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        name = ctypes.util.find_library("c")
        try:
            _trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
        except OSError:
            _trim = None
    if _trim is not None:
        _trim(0)
