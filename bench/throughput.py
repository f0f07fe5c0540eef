"""Throughput (issue 7 §5): Guozi served by its production server, under concurrent load.

``python -m bench.throughput`` builds the bench's database and ledger (as ``python -m bench``
does, with one import), then starts ``guozi serve`` (gunicorn, sync workers) on 127.0.0.1 with
``bench.settings`` (Guozi's settings, persistent connections, the baseline route of
``bench.urls``), signs in as the bench's SASAC user through the sign-in form, and loads it with
``bench.load`` for a fixed time per page. ``python -m bench --throughput`` adds the same lines
to the full suite's table.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import load, setup

PROJECT = Path(__file__).resolve().parent.parent
#: Issue 7 §5: the list page sustains at least 40% of the baseline's requests per second, i.e.
#: costs at most 2.5× the baseline per request (the table's ratio, like its other lines).
THROUGHPUT_TARGET = 1 / 0.4
#: Issue 7 §5: p99 latency of the list page at 16 connections.
P99_TARGET_SECONDS = 0.100
LIST_PATH = "/assets/asset/"
#: The gunicorn master's process id by port, while ``serving`` runs.
SERVERS: dict[int, int] = {}


def add_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("throughput")
    group.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="gunicorn workers (default: the number of cores)"
    )
    group.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    group.add_argument("--seconds", type=float, default=10.0, help="measured seconds per page (default 10)")
    group.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each (default 2)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((load.HOST, 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(load.HOST, port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def workers_cpu_seconds(master: int) -> float | None:
    """CPU seconds (user and system) used so far by the gunicorn master's worker processes.

    Read from Linux's /proc; None elsewhere. The workers' own CPU per request does not depend on
    how much of the machine other processes leave them, as requests/s and latency do.
    """
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in children:
            # utime and stime, the 14th and 15th fields; the command name may hold spaces.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    except (OSError, ValueError):
        return None
    return total


@contextmanager
def serving(workers: int, log: Path) -> Iterator[int]:
    """``guozi serve`` on a free port of 127.0.0.1 until the block ends; yields the port.

    The server's process id is in ``SERVERS[port]`` meanwhile (``guozi serve`` execs gunicorn:
    the master keeps it).
    """
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
        # `guozi serve` execs the gunicorn of this interpreter's environment.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "guozi", "serve", "--bind", f"{load.HOST}:{port}", "--workers", str(workers)],
            cwd=PROJECT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"guozi serve exited ({server.returncode}):\n{log.read_text()[-3000:]}")
                try:
                    if _get(port, "/healthz").status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"guozi serve did not answer within 60 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            SERVERS[port] = server.pid
            yield port
        finally:
            SERVERS.pop(port, None)
            server.terminate()  # gunicorn's graceful stop (SIGTERM to the master)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the sign-in form, CSRF token and all; return the Cookie header of the session.

    The bench's SASAC user holds no role of ``OTP_REQUIRED_ROLES``, so the password is the
    whole sign-in; the list page answering 200 (not the code page) proves it.
    """
    connection = http.client.HTTPConnection(load.HOST, port, timeout=30)
    connection.request("GET", "/accounts/login/")
    page = connection.getresponse()
    html = page.read().decode()
    cookies = _cookies(page)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if page.status != 200 or match is None or "csrftoken" not in cookies:
        raise RuntimeError(f"the sign-in page answered {page.status} without a CSRF token")
    body = urlencode({"csrfmiddlewaretoken": match.group(1), "username": username, "password": password})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}"},
    )
    answer = connection.getresponse()
    answer.read()
    connection.close()
    cookies.update(_cookies(answer))
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} answered {answer.status}, no session")
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    check = _get(port, LIST_PATH, {"Cookie": header})
    if check.status != 200:
        raise RuntimeError(f"{LIST_PATH} answered {check.status} ({check.getheader('Location')}) after signing in")
    return header


def _figure(
    name: str, outcomes: list[load.Outcome], workers: int, loads: list[float], server_cpu: list[float | None]
) -> dict[str, Any]:
    """One line from its R windows: the median window's requests/s; latencies pooled over all of them."""
    for outcome in outcomes:
        if not outcome.requests:
            raise RuntimeError(
                f"{outcome.path}: no request ended within the {outcome.window_seconds:g} s; give more --seconds"
            )
        if outcome.failures or set(outcome.statuses) != {200}:
            raise RuntimeError(f"{outcome.path}: statuses {dict(outcome.statuses)}, {outcome.failures} failed requests")
    pooled = load.Outcome(path=outcomes[0].path, connections=outcomes[0].connections, window_seconds=0)
    for outcome in outcomes:
        pooled.latencies += outcome.latencies
        pooled.window_seconds += outcome.window_seconds
        pooled.client_cpu_seconds += outcome.client_cpu_seconds
    rates = [outcome.requests_per_second for outcome in outcomes]
    return {
        "name": name,
        "runs": len(outcomes),
        # The table's seconds column: the median latency; its rate column: requests per second.
        "seconds": pooled.percentile(50),
        "requests_per_second": statistics.median(rates),
        "all_requests_per_second": rates,
        "requests": pooled.requests,
        "window_seconds": pooled.window_seconds,
        "connections": pooled.connections,
        "workers": workers,
        "latency_p50": pooled.percentile(50),
        "latency_p90": pooled.percentile(90),
        "latency_p99": pooled.percentile(99),
        "latency_max": max(pooled.latencies),
        "client_cpu_seconds": pooled.client_cpu_seconds,
        "path": pooled.path,
        # Other processes on the machine take cores from the server: the figure is only as good as this.
        "load_average_before": max(loads),
        # The workers' CPU per request over the R windows (warm-ups included in neither count).
        "server_cpu_per_request": (
            sum(c for c in server_cpu if c is not None) / pooled.requests if None not in server_cpu else None
        ),
    }


def measure(accounts: setup.Accounts, args: argparse.Namespace, workdir: Path) -> list[dict[str, Any]]:
    """The throughput lines: the baseline, the same behind the sign-in, and the asset list page 1.

    ``args.repeat`` rounds, each measuring every line once in turn, so that a change in the
    machine's other load during the run falls on all lines alike rather than on the last one.
    """
    from django.contrib.auth import get_user_model
    from django.db import connections

    from guozi.assets.models import Asset

    username = get_user_model().objects.get(pk=accounts.reader_id).username
    first = Asset.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        raise RuntimeError("the throughput lines need an imported ledger")
    connections.close_all()  # the server's workers open their own
    n, workers = args.connections, args.workers
    say = (
        f"{args.repeat} round(s) of {n} connections, {args.warmup:g} s warm-up + {args.seconds:g} s per line, "
        f"{workers} gunicorn workers"
    )
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] throughput: {say}\n")
    routes = {
        "baseline": (f"one indexed query (gunicorn, {n} conn.)", f"/bench/one-query/{first}/", False),
        "signed_in": (f"one query, signed in (gunicorn, {n} conn.)", f"/bench/one-query-signed-in/{first}/", True),
        "page": (f"asset list page 1 (gunicorn, {n} conn.)", LIST_PATH, True),
    }
    seen: dict[str, list[load.Outcome]] = {key: [] for key in routes}
    loads: dict[str, list[float]] = {key: [] for key in routes}
    cpu: dict[str, list[float | None]] = {key: [] for key in routes}
    with serving(workers, workdir / "gunicorn.log") as port:
        cookie = sign_in(port, username, accounts.password)
        for _ in range(args.repeat):
            for key, (_name, path, signed) in routes.items():
                loads[key].append(os.getloadavg()[0])
                cookie_header = cookie if signed else ""
                # The warm-up on its own, so that the workers' CPU is read around the measured window.
                if args.warmup:
                    load.run(port, path, cookie=cookie_header, connections=n, seconds=args.warmup, warmup=0)
                before = workers_cpu_seconds(SERVERS[port])
                seen[key].append(
                    load.run(port, path, cookie=cookie_header, connections=n, seconds=args.seconds, warmup=0)
                )
                after = workers_cpu_seconds(SERVERS[port])
                cpu[key].append(None if before is None or after is None else after - before)
    baseline, signed_in, page = (_figure(routes[key][0], seen[key], workers, loads[key], cpu[key]) for key in routes)
    for found, target in ((signed_in, None), (page, THROUGHPUT_TARGET)):
        found["baseline"] = baseline["name"]
        found["baseline_requests_per_second"] = baseline["requests_per_second"]
        # Cost per request against the baseline's, like the suite's other ratios (≥1: slower).
        found["ratio"] = baseline["requests_per_second"] / found["requests_per_second"]
        if target is not None:
            found["target_ratio"] = target
    page["target_p99_seconds"] = P99_TARGET_SECONDS
    return [baseline, signed_in, page]


def lines(results: list[dict[str, Any]]) -> list[str]:
    """The lines below the table that say what the throughput lines' columns cannot."""
    out = []
    for r in results:
        if "requests_per_second" not in r:
            continue
        share = (
            f"; {100 / r['ratio']:.0f}% of the baseline's requests/s"
            + (f" (target ≥{100 / r['target_ratio']:.0f}%)" if "target_ratio" in r else "")
            if "ratio" in r
            else ""
        )
        p99 = f"p99 {r['latency_p99'] * 1000:.0f} ms" + (
            f" (target ≤{r['target_p99_seconds'] * 1000:.0f} ms)" if "target_p99_seconds" in r else ""
        )
        out.append(
            f"throughput of {r['name']}: {r['requests_per_second']:,.1f} requests/s, latency p50 "
            f"{r['latency_p50'] * 1000:.1f} ms, {p99}, max {r['latency_max'] * 1000:.0f} ms{share}; "
            f"{r['requests']:,} requests in {r['runs']} × {r['window_seconds'] / r['runs']:g} s, {r['workers']} "
            f"sync workers, the load generator used {100 * r['client_cpu_seconds'] / r['window_seconds']:.0f}% of "
            f"a core; load average up to {r['load_average_before']:.1f} before"
            + (
                f"; the workers used {r['server_cpu_per_request'] * 1000:.1f} ms of CPU per request"
                if r.get("server_cpu_per_request") is not None
                else ""
            )
        )
    return out


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.throughput", description="Guozi's throughput under gunicorn (issue 7 §5)."
    )
    parser.add_argument("--assets", type=int, default=20_000, help="ledger rows to generate (default 20000)")
    parser.add_argument("--enterprises", type=int, default=20, help="enterprises: a group and its subsidiaries")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3, help="rounds over the lines; the table shows the median")
    parser.add_argument("--json", type=Path, help="also write the results here")
    add_options(parser)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    check(parser, args)
    return args


def check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.assets < 1 or args.enterprises < 1:
        parser.error("--assets and --enterprises must be at least 1")
    if args.workers < 1 or args.connections < 1 or args.seconds <= 0 or args.warmup < 0:
        parser.error("--workers and --connections must be at least 1, --seconds above 0, --warmup not negative")


def main(argv: list[str] | None = None) -> None:
    import json

    from bench import run
    from bench.data import enterprises, write_ledger

    args = parse(argv)
    with run.database(args.database) as (workdir, _):
        run.say("migrating and creating organisations and accounts")
        accounts = setup.populate(args.enterprises)
        ledger = workdir / "资产台账.xlsx"
        run.say(f"writing {args.assets} rows to {ledger.name} and importing them")
        started = time.perf_counter()
        write_ledger(ledger, count=args.assets, names=enterprises(args.enterprises))
        generated = time.perf_counter() - started
        outcome = run.worker("import", ledger)
        assert outcome["assets_after"] == args.assets, outcome
        report = {
            "machine": run.machine(args.database),
            "assets": args.assets,
            "enterprises": args.enterprises,
            "repeat": args.repeat,
            "ledger_file_bytes": ledger.stat().st_size,
            "generate_seconds": generated,
            "results": measure(accounts, args, workdir),
        }
        # Before the database is dropped: a DROP DATABASE can wait on other sessions of the server.
        sys.stdout.write(run.table(report) + "\n")
        sys.stdout.flush()
        if args.json:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
