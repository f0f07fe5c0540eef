"""The django-import-export baseline: its default import flow on the same model and rows.

Issue 7 asks the ledger import to be at least 50× faster than django-import-export's
import on the same database. Its flow is row by row (look the row up by its import id
fields, build the instance, validate, save, one transaction around all), a few hundred
rows a second, so it runs on the first ``SAMPLE`` rows of the bench's ledger only and
the table compares rows per second. It is handed the rows ready for the model (full
enterprise names, stored codes, amounts in 元): no template parsing, no unit
conversion, no 合计 check, no change log, no summary. The baseline is flattered, not
handicapped. Benchmark code only: django-import-export is a dev dependency.
"""

from __future__ import annotations

from typing import Any

SAMPLE = 2_000


def dataset(count: int, names: list[Any]) -> Any:
    import tablib

    from bench.fill import asset_rows
    from guozi.assets.models import AssetCategory
    from guozi.core.models import Organization

    organizations = dict(Organization.objects.values_list("pk", "name"))
    categories = dict(AssetCategory.objects.values_list("pk", "name"))
    headers = ["enterprise", "code", "name", "category", "location", "area", "quantity", "original_value"]
    headers += ["book_value", "acquired_on", "certificate", "utilisation", "package", "note"]
    data = tablib.Dataset(headers=headers)
    for row in asset_rows(count, names):
        enterprise_id, code, name, category_id, *rest = row[:14]
        data.append([organizations[enterprise_id], code, name, categories[category_id], *rest])
    return data


def resource() -> Any:
    from import_export import fields, resources, widgets

    from guozi.assets.models import LEDGER_FIELDS, Asset, AssetCategory
    from guozi.core.models import Organization

    class AssetResource(resources.ModelResource):
        enterprise = fields.Field(
            attribute="enterprise", column_name="enterprise", widget=widgets.ForeignKeyWidget(Organization, "name")
        )
        category = fields.Field(
            attribute="category", column_name="category", widget=widgets.ForeignKeyWidget(AssetCategory, "name")
        )

        class Meta:
            model = Asset
            import_id_fields = ("enterprise", "code")
            fields = ("enterprise", "code", *LEDGER_FIELDS)

    return AssetResource()


def run(data: Any) -> int:
    """Import ``data`` for real (not a dry run); the number of rows it created."""
    result = resource().import_data(data, dry_run=False, raise_errors=True, use_transactions=True)
    return int(result.totals["new"])
