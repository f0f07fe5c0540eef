"""Rows grouped under the records they belong to: what a prefetch gives, without its cost.

A prefetch sets up a related manager and a queryset on every instance it fills (a fund's
stages, each partner's contributions); on the fund pipeline that was a sixth of the page's CPU
in a profile (docs/benchmarks.md, eighteenth session). Reading the rows with one plain query
and grouping them here costs a dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def under(owners: Iterable[K], rows: Iterable[R], owner: Callable[[R], K]) -> dict[K, list[R]]:
    """``rows`` in lists under their owner's key, in the order read, every owner present even
    without rows. A row whose owner is not among ``owners`` (one added since the owners were
    read, when the rows are read by the owners' query as a subquery) is left out."""
    grouped: dict[K, list[R]] = {key: [] for key in owners}
    for row in rows:
        found = grouped.get(owner(row))
        if found is not None:
            found.append(row)
    return grouped
