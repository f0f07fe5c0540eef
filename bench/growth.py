"""How cost grows with the data (issue 7 §7): runs of the suite at several scales, side by side.

``python -m bench.growth RUN.json RUN.json ...`` reads the JSON files ``python -m bench
--json`` wrote (one per scale, e.g. 100k, 1M and 5M assets) and prints, for every measure
present in all of them, its median seconds at each scale and its growth factor from each
scale to the next: how much more it cost per row more, ``(t₂ / t₁) / (n₂ / n₁)``. 1.00 is
linear; well below 1 is what a summary or an index buys (a dashboard should stay flat);
above 1 grows faster than the data, a defect to fix or explain. Nothing is measured here:
it only puts measured runs next to each other.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any


def load(paths: list[Path]) -> list[dict[str, Any]]:
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    return sorted(runs, key=lambda run: run["assets"])


def table(runs: list[dict[str, Any]]) -> str:
    scales = [run["assets"] for run in runs]
    by_name = [{r["name"]: r for r in run["results"]} for run in runs]
    names = [name for name in by_name[0] if all(name in found for found in by_name[1:])]
    header = f"{'measure':<48}" + "".join(f"{f'{n:,} rows':>16}" for n in scales)
    header += "".join(f"{f'×{b // a:,} → factor':>16}" for a, b in itertools.pairwise(scales))
    lines = [header, "-" * len(header)]
    for name in names:
        seconds = [found[name]["seconds"] for found in by_name]
        # A line's own rows where it has them: past an .xlsx sheet the import reads 1,000,000
        # rows whatever the ledger holds (bench.run.FILE_ROWS).
        rows = [found[name].get("rows") or scale for found, scale in zip(by_name, scales, strict=True)]
        line = f"{name:<48}" + "".join(f"{s:>15.3f}s" for s in seconds)
        for (a, b), (s1, s2) in zip(itertools.pairwise(rows), itertools.pairwise(seconds), strict=True):
            line += f"{(s2 / s1) / (b / a):>16.2f}" if s1 > 0 else f"{'—':>16}"
        lines.append(line)
    lines.append("")
    lines.append("factor: (seconds at the larger scale / at the smaller) / (rows there / rows here); 1.00 = linear")
    for run in runs:
        m = run["machine"]
        lines.append(f"{run['assets']:,} rows: {m['date']} · {m['database']} · median of {run['repeat']} run(s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="JSON files of `python -m bench --json`, one per scale")
    args = parser.parse_args(argv)
    if len(args.runs) < 2:
        parser.error("give at least two runs at different scales")
    sys.stdout.write(table(load(args.runs)) + "\n")


if __name__ == "__main__":
    main()
