"""Reads of the ledger that add it up: the census (清查) of an enterprise, computed, never stored.

Every figure comes from the asset rows handed in, which the caller has already
scoped (``Asset.objects.restrict(user)``): a census shows only what its reader may
see. Cross-app readers (dashboards, the report generator) use these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from guozi.assets.choices import NEEDS_CERTIFICATE, CertificateStatus, Package, Utilisation
from guozi.assets.models import Asset, AssetCategory
from guozi.core.models import Organization

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """So many assets (项) worth so much (元, book value)."""

    count: int = 0
    value: Decimal = Decimal(0)

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.count + other.count, self.value + other.value)


@dataclass(frozen=True)
class Census:
    total: Figure
    #: Top-level classes in their order, each with its own and its sub-classes' assets.
    by_category: list[tuple[AssetCategory, Figure]]
    by_utilisation: dict[str, Figure]
    #: The four packages 用、售、租、融 in that order (assets without one are not in a package).
    packages: list[tuple[Package, Figure]]
    #: 需办证: assets that need a title certificate, whatever its state; 已完成: those that have it.
    certificates_needed: int
    certificates_done: int

    @property
    def inefficient(self) -> Figure:
        return self.by_utilisation.get(Utilisation.INEFFICIENT, Figure())

    @property
    def idle(self) -> Figure:
        return self.by_utilisation.get(Utilisation.IDLE, Figure())

    @property
    def packaged(self) -> Figure:
        return sum((figure for _, figure in self.packages), Figure())


def enterprise_assets(assets: QuerySet[Asset], enterprise: Organization, *, subtree: bool = True) -> QuerySet[Asset]:
    """The rows of ``assets`` that belong to ``enterprise`` (and, by default, its subsidiaries)."""
    if not subtree:
        return assets.filter(enterprise=enterprise)
    below = Organization.objects.descendants(enterprise, include_self=True).values("pk")
    return assets.filter(enterprise__in=below)


def _grouped(assets: QuerySet[Asset], field: str) -> dict[str, Figure]:
    rows = assets.order_by().values(field).annotate(n=Count("pk"), value=Sum("book_value"))
    # SQLite adds DECIMAL columns up as floats and Django returns the sum to 15 significant
    # digits: exact to the 分 below 10万亿元. Quantized, both databases answer alike (30670000000.00).
    return {row[field]: Figure(row["n"], (row["value"] or Decimal(0)).quantize(CENT)) for row in rows}


def census(assets: QuerySet[Asset]) -> Census:
    """The census figures of ``assets``, in five queries whatever their number."""
    categories = list(AssetCategory.objects.order_by("sort_order", "code"))
    parents = {category.pk: category.parent_id for category in categories}

    def top(pk: int) -> int:
        while parents.get(pk) is not None:
            pk = parents[pk]  # type: ignore[assignment]
        return pk

    by_top: dict[int, Figure] = {}
    for category_id, figure in _grouped(assets, "category").items():
        key = top(int(category_id))
        by_top[key] = by_top.get(key, Figure()) + figure
    by_certificate = _grouped(assets, "certificate")
    by_package = _grouped(assets, "package")
    by_utilisation = _grouped(assets, "utilisation")
    return Census(
        total=sum(by_utilisation.values(), Figure()),
        by_category=[(c, by_top[c.pk]) for c in categories if c.parent_id is None and c.pk in by_top],
        by_utilisation=by_utilisation,
        packages=[(package, by_package.get(package, Figure())) for package in Package],
        certificates_needed=sum(by_certificate.get(status, Figure()).count for status in NEEDS_CERTIFICATE),
        certificates_done=by_certificate.get(CertificateStatus.DONE, Figure()).count,
    )
