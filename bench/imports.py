"""The import line alone, repeated: its raw limit and ``ledger_import``, one after the other, ``--repeat`` times.

``python -m bench.imports --assets 1000000 --repeat 3`` writes the ledger file once (kept in
``--keep`` for the next run, if given), then alternates the raw limit (read + bare insert, as
``python -m bench`` measures it) with one import in a worker process of its own, and prints
each pair and the median ratio. Alternating pairs, because on a shared machine the speed of
the cores drifts over minutes (the raw limit of 1M rows measured 15–22 s on one day): each
ratio compares two runs a minute apart. The whole suite (``python -m bench``) measures
everything else once per ``--repeat``; this is the line issue 7's 2× is about.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench import raw, run, setup


def import_arguments(parser: argparse.ArgumentParser, *, repeat: int) -> None:
    """The options of the import's own benchmarks (this one and ``bench.import_phases``)."""
    parser.add_argument("--assets", type=int, default=100_000, help="rows of the ledger file")
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--keep", type=Path, help="a folder to keep the ledger file in, and take it from")


def ledger_file(workdir: Path, args: argparse.Namespace) -> Path:
    """The ledger file of ``--assets`` rows over ``--enterprises`` in ``workdir``: written, or
    copied from ``--keep`` (where a written one is kept for the next run)."""
    from bench.data import enterprises, write_ledger

    name = f"ledger-{args.assets}-{args.enterprises}.xlsx"
    ledger = workdir / name
    kept = args.keep / name if args.keep else None
    if kept is not None and kept.exists():
        shutil.copyfile(kept, ledger)
    else:
        write_ledger(ledger, count=args.assets, names=enterprises(args.enterprises))
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ledger, kept)
    return ledger


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    import_arguments(parser, repeat=3)
    parser.add_argument("--profile", type=Path, help="profile the last import (cProfile stats here)")
    args = parser.parse_args(argv)
    with run.database(args.database) as (workdir, database_path):
        from django.db import connections

        setup.populate(args.enterprises)
        ledger = ledger_file(workdir, args)
        connections.close_all()
        conninfo = setup.POSTGRES_URL.replace("postgres://", "postgresql://", 1)
        ratios = []
        for i in range(args.repeat):
            started = time.perf_counter()
            if args.database == "sqlite":
                raw.write_sqlite(ledger, database_path)
                limit = time.perf_counter() - started
                raw.drop_sqlite(database_path)
            else:
                raw.write_postgres(ledger, conninfo)
                limit = time.perf_counter() - started
                raw.drop_postgres(conninfo)
            profile = ("--profile", str(args.profile.resolve())) if args.profile and i == args.repeat - 1 else ()
            done = run.worker("import", ledger, *profile)
            assert done["creates"] == args.assets, done
            ratios.append(done["seconds"] / limit)
            sys.stdout.write(
                f"run {i + 1}: raw limit {limit:.2f} s, import {done['seconds']:.2f} s, {ratios[-1]:.2f}×, "
                f"peak {done['maxrss_mib']:.0f} MiB\n"
            )
            sys.stdout.flush()
        sys.stdout.write(
            f"{args.assets:,} rows, {args.database}: median {statistics.median(ratios):.2f}× the raw limit\n"
        )


if __name__ == "__main__":
    main()
