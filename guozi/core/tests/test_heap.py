"""``heap.settle``: what is alive when a worker has started is no longer walked by full collections."""

from __future__ import annotations

import gc
import subprocess
import sys

from guozi.core.heap import settle


def test_settle_sets_the_live_heap_aside_and_a_full_collection_then_walks_only_newer_objects() -> None:
    try:
        settle()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the test process's app: modules, models, URL patterns
        newer = [[n] for n in range(1000)]  # lists: tracked by the collector
        gc.collect()
        assert len(gc.get_objects(generation=2)) < frozen // 10
        assert newer[999] == [999]
    finally:
        gc.unfreeze()


def test_the_wsgi_worker_settles_its_heap_once_loaded() -> None:
    """Imported as gunicorn's workers import it: the app object, then a frozen heap."""
    code = "import gc, guozi.wsgi; print(gc.get_freeze_count())"
    env = {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "guozi.settings", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert int(done.stdout.strip()) > 10_000


def test_bulk_jobs_collect_less_often_and_the_last_to_leave_restores_the_threshold() -> None:
    from guozi.core.heap import BULK_THRESHOLD, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (BULK_THRESHOLD, *before[1:])
        with fewer_collections():  # a second import in another thread of the process
            pass
        assert gc.get_threshold()[0] == BULK_THRESHOLD  # the first is still running
    assert gc.get_threshold() == before
    try:
        with fewer_collections():
            raise RuntimeError("the import failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
