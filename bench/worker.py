"""One import or dry run in a process of its own, so that its peak memory is its own.

``python -m bench.worker import|check FILE [--profile OUT]``, started by ``bench.run``
with the benchmark's environment. Before an import the ledger is emptied (the change
log and import batches stay: they are append-only, as in production). Prints one
JSON line: seconds, the outcome's counts, and ru_maxrss before and after.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from bench import env

MARK = "BENCH-RESULT "


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("mode", choices=["import", "check", "import-export"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--profile", type=Path, help="run under cProfile and write the stats here")
    parser.add_argument("--enterprises", type=int, default=20, help="import-export: the bench's enterprise count")
    parser.add_argument("--rows", type=int, default=0, help="import-export: the ledger's first rows to import")
    args = parser.parse_args(argv)
    env.setup()

    from bench.fill import empty_ledger
    from bench.setup import IMPORTER
    from guozi.assets.models import Asset
    from guozi.assets.services.imports import ledger_check, ledger_import
    from guozi.core.changes import COMMAND
    from guozi.core.models import User

    actor = User.objects.get(username=IMPORTER)
    if args.mode in ("import", "import-export"):
        empty_ledger()  # with its summary and rollup: behind the services' back, so by hand too
    if args.mode == "import-export":
        _import_export(args)
        return
    content = args.file.read_bytes()
    rss_before = _maxrss_mib()

    def run() -> object:
        if args.mode == "import":
            return ledger_import(actor=actor, origin=COMMAND, file_name=args.file.name, content=content)
        return ledger_check(actor=actor, file_name=args.file.name, content=content)

    started = time.perf_counter()
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        outcome = profiler.runcall(run)
        profiler.dump_stats(args.profile)
    else:
        outcome = run()
    seconds = time.perf_counter() - started
    result = {
        "mode": args.mode,
        "seconds": seconds,
        "ok": outcome.ok,  # type: ignore[attr-defined]
        "rows": outcome.rows,  # type: ignore[attr-defined]
        "creates": outcome.creates,  # type: ignore[attr-defined]
        "updates": outcome.updates,  # type: ignore[attr-defined]
        "errors": [f"row {e.row} {e.column} {e.value!r}: {e.reason}" for e in outcome.errors[:5]],  # type: ignore[attr-defined]
        "maxrss_before_mib": rss_before,
        "maxrss_mib": _maxrss_mib(),
        "assets_after": Asset.objects.count(),
    }
    sys.stdout.write(MARK + json.dumps(result) + "\n")


def _import_export(args: argparse.Namespace) -> None:
    """The django-import-export baseline on the ledger's first rows (``bench.import_export``)."""
    from bench import import_export
    from bench.data import enterprises
    from guozi.assets import summaries
    from guozi.assets.models import Asset

    data = import_export.dataset(args.rows, enterprises(args.enterprises))
    started = time.perf_counter()
    created = import_export.run(data)
    seconds = time.perf_counter() - started
    result = {"mode": args.mode, "ok": True, "seconds": seconds, "rows": len(data), "creates": created}
    # It wrote behind the services' back: leave the ledger and its summary as the imports expect them.
    Asset.objects.all().delete()
    summaries.rebuild()
    sys.stdout.write(MARK + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
