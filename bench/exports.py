"""The ledger export against bare xlsxwriter, in time and in peak memory (issue 7 §6).

Issue 7's target: a 1,000,000-row .xlsx export in at most 60 s with a peak of at most
1 GiB, streaming, at least as fast as xlsxwriter in constant-memory mode writing the
same rows. The baseline here writes the rows of the export — the list table's ten
columns (code, name, enterprise's short name, class, location, area, book value,
utilisation, package, certificate), joined and ordered in plain SQL as the list orders
them — with xlsxwriter's ``write()`` in constant-memory mode into a temporary file; it
writes the raw values (book value in 元, choice codes), Guozi writes what the list shows
(万元 text, Chinese labels): that difference is Guozi's work.

Time: both in the benchmark's process, R runs each, the export through the test Client
as the SASAC reader (the whole response read). Memory: each once more in a worker
process of its own (``python -m bench.exports export|bare``): its ``ru_maxrss`` with the
level it had reached (Django loaded, signed in, one list page served) before it began,
and, since ru_maxrss never falls below Django's start-up peak, the peak RSS of the work
itself (``VmHWM`` after resetting it through ``/proc/self/clear_refs``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import env
from bench.worker import MARK

PROJECT = Path(__file__).resolve().parent.parent
#: Issue 7's target: the export at least as fast as bare xlsxwriter (ratio ≤ 1).
EXPORT_TARGET = 1.0
EXPORT_URL = "/assets/asset/export/"


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _status_mib(field: str) -> float | None:
    """``VmRSS``/``VmHWM`` of this process from /proc (Linux), in MiB; None elsewhere."""
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) / 1024 if match else None


def _reset_peak() -> bool:
    """Set the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0, ``clear_refs`` 5).

    ru_maxrss never goes down: every worker reaches about 209 MiB while Django starts and
    falls back below it, so an export that stays under that level would not show in
    ru_maxrss at all. Reset, VmHWM after the work is the peak of the work itself.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def bare_xlsxwriter() -> int:
    """The export's rows, from plain SQL, written by xlsxwriter ``write()`` in constant-memory mode."""
    import xlsxwriter
    from django.db import connection

    from guozi.assets.models import Asset, AssetCategory
    from guozi.core.models import Organization
    from guozi.core.xlsx_stream import SHEET_ROWS

    asset, category, organization = Asset._meta.db_table, AssetCategory._meta.db_table, Organization._meta.db_table
    with connection.cursor() as cursor, tempfile.TemporaryFile() as handle:
        cursor.execute(
            f"SELECT a.code, a.name, o.short_name, c.name, a.location, a.area, a.book_value, a.utilisation, "  # noqa: S608
            f"a.package, a.certificate FROM {asset} a JOIN {organization} o ON o.id = a.enterprise_id "
            f"JOIN {category} c ON c.id = a.category_id ORDER BY o.sort_order, a.code"
        )
        workbook = xlsxwriter.Workbook(handle, {"in_memory": False, "constant_memory": True})
        count = at = 0
        sheet = workbook.add_worksheet("assets")
        for count, row in enumerate(cursor, start=1):
            at += 1
            if at == SHEET_ROWS:  # as the export: the next sheet, from its second row
                sheet, at = workbook.add_worksheet(f"assets ({count // (SHEET_ROWS - 1) + 1})"), 1
            for col, value in enumerate(row):
                sheet.write(at, col, value)
        workbook.close()
        return count


def client_export(client: Any) -> int:
    """The ledger export through the test Client; the bytes of the file (read chunk by chunk, as a client would)."""
    response = client.get(EXPORT_URL)
    assert response.status_code == 200, response.status_code
    size, first = 0, b""
    for chunk in response.streaming_content if response.streaming else [response.content]:
        first = first or chunk[:2]
        size += len(chunk)
    response.close()
    assert first == b"PK", first
    return size


def _signed_in(reader_id: int) -> Any:
    from django.test import Client

    from guozi.core.models import User

    client = Client()
    client.force_login(User.objects.get(pk=reader_id))
    return client


def _worker(mode: str, reader_id: int) -> dict[str, Any]:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "bench.exports", mode, str(reader_id)],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode or not lines:
        raise RuntimeError(f"bench.exports {mode} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(MARK) :])
    return result


def _peak(result: dict[str, Any]) -> str:
    if result["peak_during_mib"] is None:
        return "no /proc: peak during the work unknown"
    return (
        f"peak RSS during the work {result['peak_during_mib']:.0f} MiB "
        f"(RSS {result['rss_before_mib']:.0f} MiB when it began)"
    )


def measure(runs: int, n: int, reader_id: int, say: Any, timed: Any, figure: Any) -> list[dict[str, Any]]:
    """The two lines of the table: bare xlsxwriter, then the export with its peak memory."""
    say("ledger export and bare xlsxwriter (timed here, then once each in a worker for memory)")
    client = _signed_in(reader_id)
    seconds, count = timed(runs, bare_xlsxwriter)
    assert count == n, count
    bare = figure("bare xlsxwriter constant-memory (raw SQL rows)", seconds, rows=n)
    seconds, size = timed(runs, lambda: client_export(client))
    in_worker, bare_worker = _worker("export", reader_id), _worker("bare", reader_id)
    assert in_worker["rows"] == n, in_worker
    assert bare_worker["rows"] == n, bare_worker
    export = figure(
        "asset list .xlsx export (test Client)",
        seconds,
        rows=n,
        baseline=bare,
        target=EXPORT_TARGET,
        file_bytes=size,
        worker_maxrss_mib=in_worker["maxrss_mib"],
        worker_maxrss_before_mib=in_worker["maxrss_before_mib"],
        worker_rss_before_mib=in_worker["rss_before_mib"],
        worker_peak_during_mib=in_worker["peak_during_mib"],
        baseline_maxrss_mib=bare_worker["maxrss_mib"],
        baseline_rss_before_mib=bare_worker["rss_before_mib"],
        baseline_peak_during_mib=bare_worker["peak_during_mib"],
        worker_seconds=in_worker["seconds"],
        baseline_worker_seconds=bare_worker["seconds"],
    )
    export["notes"] = [
        f"peak memory of the export: ru_maxrss {in_worker['maxrss_mib']:.0f} MiB in its worker process "
        f"({in_worker['maxrss_before_mib']:.0f} MiB before it began); {_peak(in_worker)}; {in_worker['seconds']:.2f} s",
        f"peak memory of bare xlsxwriter: ru_maxrss {bare_worker['maxrss_mib']:.0f} MiB "
        f"({bare_worker['maxrss_before_mib']:.0f} MiB before); {_peak(bare_worker)}; {bare_worker['seconds']:.2f} s; "
        f"file {size / 2**20:.1f} MiB",
    ]
    return [bare, export]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.exports")
    parser.add_argument("mode", choices=["export", "bare"])
    parser.add_argument("reader", type=int, help="the SASAC reader's user id")
    args = parser.parse_args(argv)
    env.setup()

    from guozi.assets.models import Asset

    # Both workers sign in and load the URL conf and a list page first, so that the level
    # before the work is the same in both and the export's own growth is what stands above it.
    client = _signed_in(args.reader)
    assert client.get("/assets/asset/", {"per_page": 1}).status_code == 200
    rows = Asset.objects.count()
    maxrss_before, rss_before = _maxrss_mib(), _status_mib("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    if args.mode == "export":
        client_export(client)
    else:
        assert bare_xlsxwriter() == rows
    seconds = time.perf_counter() - started
    result = {
        "mode": args.mode,
        "seconds": seconds,
        "rows": rows,
        "maxrss_before_mib": maxrss_before,
        "maxrss_mib": _maxrss_mib(),
        "rss_before_mib": rss_before,
        "peak_during_mib": _status_mib("VmHWM") if reset else None,
    }
    sys.stdout.write(MARK + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
