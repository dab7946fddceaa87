"""Keep Python's cyclic garbage collector away from big, freshly decoded results.

Decoding a 50,000-row response creates ~75,000 tracked containers (row lists) holding a
million values. With the collector on, every few hundred allocations trigger a collection
that walks the young ones; with it merely paused, the first collection after resuming walks
them all at once (40-55 ms here, measured with ``gc.callbacks``), and later young-generation
collections walk them again. Rows are data: they hold no reference cycles and die by
reference counting. So during the block the collector is off, and afterwards everything it
allocated moves straight to the oldest generation (``gc.freeze()`` then ``gc.unfreeze()``:
two O(1) list splices), where only the rare full collections look at it.

Trade-off: young objects made elsewhere at that moment are promoted too, so any cyclic
garbage among them waits for the next full collection. If something else already froze
objects (a pre-fork server), we only pause, so as not to unfreeze what it froze.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BIG_BODY_BYTES = 256 * 1024
"""Bodies from this size up are decoded with the collector kept away; small ones gain nothing."""


@contextmanager
def paused_gc(enabled: bool = True) -> Iterator[None]:
    """Collector off inside the block (when ``enabled``); what it allocated ends up old.

    The block must not await: the pause is process-wide.
    """
    if not (enabled and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()  # every tracked object to the permanent generation: O(1)
            gc.unfreeze()  # ... and back into the oldest one, unscanned: O(1)
        gc.enable()
