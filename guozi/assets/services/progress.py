"""How far the running imports have got: an in-process registry the progress page reads.

An import is one transaction, all or nothing, so its progress cannot be written to the
database as it goes: a row written inside the transaction is rolled back with it and
seen by no one else until the end, and on SQLite a second connection writing meanwhile
would wait for the import's lock. The import thread therefore reports each chunk here,
in memory, and the poll of the progress page reads it; the final status is written to
the ``LedgerUpload`` once the transaction is over.

The limit: this works within one process (the web server that started the thread). A
deployment with several worker processes would keep the progress in a shared store
(Redis, the cache) and run the import as a task (django-tasks, Celery) instead.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_done: dict[int, int] = {}


def report(upload_id: int, rows_done: int) -> None:
    """Record that the import of upload ``upload_id`` has processed ``rows_done`` rows."""
    with _lock:
        _done[upload_id] = rows_done


def rows_done(upload_id: int) -> int | None:
    """The rows processed so far, or ``None`` when no import of the upload runs in this process."""
    with _lock:
        return _done.get(upload_id)


def forget(upload_id: int) -> None:
    with _lock:
        _done.pop(upload_id, None)
