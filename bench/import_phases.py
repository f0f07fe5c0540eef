"""Where an import's time goes: its whole, its phases, and whose CPU.

``python -m bench.import_phases --database postgres --assets 300000 --enterprises 10000``
writes the ledger file (or takes it from ``--keep``), then imports it ``--repeat`` times into an
emptied ledger, in this process, and prints for each import its seconds; of them, the read (the
file parsed and scanned for formulas, up to its first row), the loop over the chunks (rows
checked and sent), the end of the writing (``Inserter.finish``: adding up the new rows' summary
and rollup, on PostgreSQL with their foreign keys checked beside it), of that the summary and
rollup's writes (``summaries.write``), and the commit (where PostgreSQL checks any foreign keys
still deferred); and the CPU seconds of this process (every thread) and, on PostgreSQL, of its
database server process. Wall time against the two CPU figures says which side waits for
which: the ``bench.imports`` ratio does not.

A diagnostic, not a line of the table: the timers wrap the functions they time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import run, setup
from bench.imports import import_arguments, ledger_file


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(pid: int) -> float:
    """CPU seconds of the PostgreSQL server process ``pid`` (Linux: /proc/PID/stat utime + stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


#: Per phase: its seconds, this process's CPU seconds and the server's.
Spent = dict[str, tuple[float, float, float]]


def _timed(spent: Spent, name: str, function: Callable[..., Any], server: int) -> Callable[..., Any]:
    def clock() -> tuple[float, float, float]:
        return time.perf_counter(), _own_cpu(), _server_cpu(server) if server else 0.0

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = clock()
        try:
            return function(*args, **kwargs)
        finally:
            (wall, own, theirs), (wall0, own0, theirs0) = clock(), started
            seconds, ours, server_cpu = spent.get(name, (0.0, 0.0, 0.0))
            spent[name] = (seconds + wall - wall0, ours + own - own0, server_cpu + theirs - theirs0)

    return timed


def _phase(spent: Spent, name: str, server: int) -> str:
    seconds, own, theirs = spent.get(name, (0.0, 0.0, 0.0))
    return f"{name} {seconds:.2f} s (CPU {own:.2f} + {theirs:.2f} s)" if server else f"{name} {seconds:.2f} s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_phases", description=__doc__)
    import_arguments(parser, repeat=2)
    args = parser.parse_args(argv)
    with run.database(args.database) as (workdir, _):
        from django.db import connection, connections

        from bench.fill import empty_ledger
        from guozi.assets import summaries
        from guozi.assets.importing.writer import Inserter
        from guozi.assets.services import imports
        from guozi.assets.services.imports import ledger_import
        from guozi.core.changes import COMMAND
        from guozi.core.models import User

        setup.populate(args.enterprises)
        ledger = ledger_file(workdir, args)
        content = ledger.read_bytes()
        actor = User.objects.get(username=setup.IMPORTER)
        server = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (server,) = cursor.fetchone()
        spent: Spent = {}
        summaries.write = _timed(spent, "summary writes", summaries.write, server)
        Inserter.finish = _timed(spent, "end", Inserter.finish, server)  # type: ignore[method-assign]
        imports.read_rows = _timed(spent, "read", imports.read_rows, server)
        imports._chunked = _timed(spent, "loop", imports._chunked, server)
        database = connections["default"]
        database._commit = _timed(spent, "commit", database._commit, server)  # type: ignore[attr-defined]
        for i in range(args.repeat):
            empty_ledger()
            spent.clear()
            own, theirs = _own_cpu(), _server_cpu(server) if server else 0.0
            started = time.perf_counter()
            outcome = ledger_import(actor=actor, origin=COMMAND, file_name=ledger.name, content=content)
            seconds = time.perf_counter() - started
            assert outcome.creates == args.assets, outcome.errors[:3]
            phases = ", ".join(
                _phase(spent, name, server) for name in ("read", "loop", "end", "summary writes", "commit")
            )
            line = f"run {i + 1}: {seconds:.2f} s; {phases}; CPU of this process {_own_cpu() - own:.2f} s"
            if server:
                line += f", of the database server {_server_cpu(server) - theirs:.2f} s"
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
