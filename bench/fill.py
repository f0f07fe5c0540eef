"""The ledger filled at scale without the import, for measuring what reads it.

Lists, dashboards, reports and exports are measured over millions of rows; going
through the import for each would measure the import again and take an hour at 5M rows.
This writes the generated ledger (``bench.data.ledger_rows``, the very rows the import
file holds) straight into the asset table with ``executemany`` (SQLite) or ``COPY``
(PostgreSQL), then rebuilds the asset summary from it (``guozi.assets.summaries``) and
``ANALYZE``s, so the database is in the state an import of the same file leaves behind,
minus the change log. Benchmark data only: never a way to load a real ledger.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from bench.data import Enterprise, ledger_rows

CHUNK = 50_000
TEN_THOUSAND = Decimal(10_000)


def _yuan(wan: float | None) -> Decimal | None:
    """万元 with two decimals (as the file says) → 元 with two decimals (as the ledger keeps)."""
    return None if wan is None else (Decimal(str(wan)) * TEN_THOUSAND).quantize(Decimal("0.01"))


def asset_rows(count: int, names: list[Enterprise]) -> Iterator[tuple[Any, ...]]:
    """The generated ledger as asset table rows (ids resolved, terms turned into stored codes)."""
    from django.utils import timezone

    from guozi.assets.importing.columns import CERTIFICATE_TERMS, PACKAGE_TERMS, UTILISATION_TERMS
    from guozi.assets.models import AssetCategory
    from guozi.core.models import Organization

    organizations = dict(Organization.objects.values_list("name", "pk"))
    by_short = dict(Organization.objects.exclude(short_name="").values_list("short_name", "pk"))
    categories = dict(AssetCategory.objects.values_list("name", "pk"))
    now: datetime = timezone.now()
    for row in ledger_rows(count, names):
        code, enterprise, name, category, location, area, quantity, original, book = row[:9]
        acquired, certificate, utilisation, package, note = row[9:]
        yield (
            organizations.get(enterprise) or by_short[enterprise],
            code,
            name,
            categories[category],
            location,
            None if area is None else Decimal(str(area)),
            quantity,
            _yuan(original),
            _yuan(book),
            acquired,
            str(CERTIFICATE_TERMS[certificate]),
            str(UTILISATION_TERMS[utilisation]),
            str(PACKAGE_TERMS[package]) if package else "",
            note,
            now,
            now,
            1,
        )


def empty_ledger() -> None:
    """Delete every asset, its summary and its rollup, behind the services' back (bench data only).

    PostgreSQL: TRUNCATE. A DELETE of a million assets checks, row by row, the two tables
    whose foreign keys point at assets (transfers, revitalisations: the dashboards' events),
    and ran for more than nine minutes before it was stopped. SQLite has no TRUNCATE; its
    DELETE of a million rows takes seconds.
    """
    from django.db import connection

    from guozi.assets.models import Asset, AssetRollup, AssetSummary, Revitalization

    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Asset, AssetSummary, AssetRollup)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CASCADE: the tables that point at assets (the events) go too, or TRUNCATE refuses.
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute(f"ANALYZE {tables[0]}")
        else:
            events = connection.ops.quote_name(Revitalization._meta.db_table)
            cursor.execute(f"DELETE FROM {events}")  # noqa: S608  # nosec B608 # the model's own table; they point at assets
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608  # nosec B608 # the models' own tables


def fill(count: int, names: list[Enterprise], progress: Callable[[int], None] | None = None) -> int:
    """Append ``count`` generated assets to the (empty) ledger; rebuild the summary; the rows written."""
    from django.db import connection, transaction

    from guozi.assets import summaries
    from guozi.assets.importing.writer import VALUE_FIELDS
    from guozi.assets.models import Asset

    # The import's own column order, without its batch pointers: these rows came from no import.
    column_names = ["enterprise_id", "code", *VALUE_FIELDS, "created_at", "updated_at", "version"]
    table = connection.ops.quote_name(Asset._meta.db_table)
    columns = ", ".join(column_names)
    written = 0
    rows = asset_rows(count, names)
    # The first row reads organisations and classes (the generator's set-up): before COPY starts,
    # or psycopg waits for the connection COPY holds, for ever.
    first = next(rows, None)
    rows = itertools.chain([] if first is None else [first], rows)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
                    if progress and written % CHUNK == 0:
                        progress(written)
        else:
            placeholders = ", ".join(["%s"] * len(column_names))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608 # fixed names
            while chunk := list(itertools.islice(rows, CHUNK)):
                cursor.executemany(sql, chunk)
                written += len(chunk)
                if progress:
                    progress(written)
    summaries.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written
