"""CPU per signed-in request, in-process: what the throughput lines cost the server, one request at a time.

``python -m bench.page_cpu --assets 2000`` builds a bench database (as ``python -m bench.throughput``
does; ``--database postgres`` for PostgreSQL), signs in through the sign-in form with the test
Client (a real session row, read and written as under gunicorn) and requests, ``--runs`` times
each after a warm-up, the lines taking turns request by request: the throughput baseline (one
indexed query), the same signed in, the asset list page 1, the census page of one enterprise
alone (the dashboard with the least work of its own: what is left is the cost every page pays),
the supervision dashboard over ``bench.dashboards``' 200 tasks (the dashboard with the most
work of its own, in Python) and the fund pipeline over its 30 funds. It prints the median and
lowest ``time.process_time`` per request: CPU time of this process, which another program on
the same cores does not inflate as it does the wall clock; and the median wall clock, which
adds the waits for the database. ``--profile
FILE`` writes cProfile stats of ``--runs`` more list pages (``--profiled census``: census pages;
``--profiled signed-in``: the signed-in baseline; ``--profiled supervision``: the supervision
dashboard; ``--profiled pipeline``: the fund pipeline).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import time
from collections.abc import Callable

from bench import run, setup


def per_request(runs: int, lines: list[tuple[str, Callable[[], object]]]) -> dict[str, tuple[list[float], list[float]]]:
    """CPU seconds and wall seconds of each of ``runs`` requests of every line, after a warm-up.

    The lines take turns, one request each: on a machine whose speed drifts from minute to
    minute a slow minute slows every line alike, rather than whichever ran in it.
    """
    for _, work in lines:
        work()  # warm-up: templates compiled, per-process caches filled
    found: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, _ in lines}
    for _ in range(runs):
        for name, work in lines:
            started, clock = time.process_time(), time.perf_counter()
            work()
            cpu, wall = found[name]
            cpu.append(time.process_time() - started)
            wall.append(time.perf_counter() - clock)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.page_cpu", description=__doc__)
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--enterprises", type=int, default=20)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", help="also write cProfile stats of --runs pages here (the list's, or --profiled)")
    parser.add_argument(
        "--profiled",
        choices=["list", "census", "signed-in", "supervision", "pipeline"],
        default="list",
        help="the page --profile profiles",
    )
    parser.add_argument("--sql", action="store_true", help="also print the queries of one list page")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    with run.database(args.database) as (workdir, _):
        from django.conf import settings

        # The bench server's URLconf (bench.settings): its baseline routes beside Guozi's.

        settings.ROOT_URLCONF = "bench.urls"
        from django.test import Client

        from bench.dashboards import AS_OF, workload
        from bench.data import enterprises, write_ledger
        from guozi.assets.models import Asset
        from guozi.core.models import User

        accounts = setup.populate(args.enterprises)
        ledger = workdir / "资产台账.xlsx"
        write_ledger(ledger, count=args.assets, names=enterprises(args.enterprises))
        assert run.worker("import", ledger)["assets_after"] == args.assets
        workload()  # the dashboards' tasks, funds and revitalisations
        first = Asset.objects.order_by("pk").values_list("pk", flat=True).first()
        reader = User.objects.get(pk=accounts.reader_id)
        _, _, leaf = setup.subsidiaries(accounts)  # the enterprise of the dashboards' "one enterprise alone"
        client = Client()
        signed = client.post("/accounts/login/", {"username": reader.username, "password": accounts.password})
        assert signed.status_code == 302, signed.status_code

        def get(path: str) -> Callable[[], object]:
            def work() -> object:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            return work

        anonymous = Client()

        def baseline() -> object:
            response = anonymous.get(f"/bench/one-query/{first}/")
            assert response.status_code == 200
            return response

        lines = [
            ("one indexed query", baseline),
            ("one query, signed in", get(f"/bench/one-query-signed-in/{first}/")),
            ("asset list page 1", get("/assets/asset/")),
            ("census, one enterprise", get(f"/assets/census/?enterprise={leaf.pk}&subtree=0")),
            ("supervision dashboard", get(f"/supervision/dashboard/?as_of={AS_OF}")),
            ("fund pipeline", get(f"/funds/pipeline/?as_of={AS_OF}")),
        ]
        sys.stdout.write(f"{args.assets} assets, {args.runs} runs each, load average {os.getloadavg()[0]:.1f}\n")
        for name, (seconds, wall) in per_request(args.runs, lines).items():
            sys.stdout.write(
                f"{name:24} CPU per request: median {statistics.median(seconds) * 1000:6.2f} ms, "
                f"lowest {min(seconds) * 1000:6.2f} ms; wall clock: median {statistics.median(wall) * 1000:6.2f} ms\n"
            )
        if args.sql:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                get("/assets/asset/")()
            for number, query in enumerate(queries.captured_queries, 1):
                sys.stdout.write(f"{number:3}. {query['sql'][:3000]}\n")
        if args.profile:
            profiled = {
                "list": "asset list page 1",
                "census": "census, one enterprise",
                "signed-in": "one query, signed in",
                "supervision": "supervision dashboard",
                "pipeline": "fund pipeline",
            }[args.profiled]
            page = dict(lines)[profiled]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                page()
            profiler.disable()
            profiler.dump_stats(args.profile)
            sys.stdout.write(f"cProfile stats of {args.runs} {args.profiled} pages: {args.profile}\n")


if __name__ == "__main__":
    main()
