#!/usr/bin/env python3
"""Set up Guozi in a local virtual environment, then run the demo or the tests.

    python3 dev.py demo [--port 8000]   # install, migrate, load demo data, serve
    python3 dev.py test [pytest args]   # install with test tools, run the whole suite

Needs only Python 3.11 with pip and venv. Dependencies come from the hashed lock
files (requirements.lock, requirements-dev.lock), so every install is the same;
a second run skips the install when the lock has not changed.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GUOZI_VENV", ROOT / ".venv"))
BIN = VENV / "bin"
LOCKS = {"demo": "requirements.lock", "test": "requirements-dev.lock"}


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_venv(lock_name: str) -> None:
    python = BIN / "python"
    if not python.exists():
        print(f"dev.py: creating {VENV}", flush=True)
        run(sys.executable, "-m", "venv", VENV)
    lock = ROOT / lock_name
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{lock_name}"
    if stamp.exists() and stamp.read_text() == digest and (BIN / "guozi").exists():
        return
    print(f"dev.py: installing {lock_name}", flush=True)
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, "--require-hashes", "-r", lock)
    # The project itself, editable, built with the setuptools the lock just pinned.
    run(*pip, "--no-deps", "--no-build-isolation", "-e", ROOT)
    stamp.write_text(digest)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in LOCKS:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    ensure_venv(LOCKS[command])
    if command == "demo":
        os.execv(BIN / "guozi", [str(BIN / "guozi"), "demo", *args])
    os.chdir(ROOT)
    os.execv(BIN / "pytest", [str(BIN / "pytest"), *args])


if __name__ == "__main__":
    main()
