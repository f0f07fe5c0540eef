"""Guozi's benchmark suite (issue 7): ``python -m bench --assets 20000``.

It builds a fresh database, generates its own ledger at the chosen scale and measures
Guozi against a baseline run in the same process on the same data; see
``docs/benchmarks.md``. Benchmarks are not tests: CI runs it once at a small scale
only to prove it still works.
"""
