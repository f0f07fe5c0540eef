from operator import itemgetter

from guozi.core.grouping import under


def test_rows_under_their_owner_in_the_order_read() -> None:
    rows = [(2, "b1"), (1, "a1"), (2, "b2"), (9, "stray"), (1, "a2")]
    grouped = under([1, 2, 3], rows, itemgetter(0))
    # Every owner is there, one without rows too; a row of an owner not asked for is left out.
    assert grouped == {1: [(1, "a1"), (1, "a2")], 2: [(2, "b1"), (2, "b2")], 3: []}
    assert list(grouped) == [1, 2, 3]
