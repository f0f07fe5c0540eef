"""``guozi bench`` is the benchmark suite's one command (issue 7), as ``python -m bench`` is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_guozi_bench_runs_the_suite_with_its_own_arguments(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    done = subprocess.run(  # the project's own console entry point, from another folder
        [sys.executable, "-c", "from guozi.cli import main; main(['guozi', 'bench', '--help'])"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "usage: python -m bench" in done.stdout
    assert "--file-rows" in done.stdout
