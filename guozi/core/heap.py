"""The heap of a long-lived process: start-up's objects set aside from the collector; bulk jobs collect less often."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


def settle() -> None:
    """Collect, then move every object alive now to the collector's permanent generation (``gc.freeze``).

    Called once Django is set up (``guozi.wsgi``, and the benchmark's processes, which stand
    for a worker). A full collection walks every object the collector tracks: in a worker
    that is the whole app (modules, URL patterns, translations, compiled templates), some
    160,000 objects that live as long as the worker, walked again at every full
    collection. Frozen, a full collection walks only what came after. Measured with the
    benchmark's data: one full collection took 0.09–0.10 s of a 0.22 s quarterly report (in
    two runs of five), and 0.38 s of a 100,000-row import's 6 s, against 0.04–0.08 s frozen.
    """
    gc.collect()
    gc.freeze()


#: Allocations between two collections of the youngest generation while a bulk job runs
#: (Python's default is 700).
BULK_THRESHOLD = 50_000
_lock = threading.Lock()
_bulk_jobs = 0
_saved: tuple[int, int, int] = (700, 10, 10)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """While the block runs, collect the youngest generation every ``BULK_THRESHOLD`` allocations.

    An import allocates a handful of objects per row, most dropped a chunk later. At the
    default threshold the collector ran 5,381 times during a million-row import and took
    6.3 s of it: each chunk's rows lived through several young collections and moved on to
    the old generation, which then was walked again and again. With 50,000 it ran 27 times
    (0.5 s). Garbage in cycles is still collected, only less often. The threshold is the
    process's: it is raised by the first job to enter and restored by the last to leave.
    """
    global _bulk_jobs, _saved
    with _lock:
        if _bulk_jobs == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(BULK_THRESHOLD, *_saved[1:])
        _bulk_jobs += 1
    try:
        yield
    finally:
        with _lock:
            _bulk_jobs -= 1
            if _bulk_jobs == 0:
                gc.set_threshold(*_saved)
