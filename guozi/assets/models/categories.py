from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from guozi.core.choices import DataScope
from guozi.core.models.base import GuoziModel
from guozi.core.scope import ScopedQuerySet, scope_for


class ReferenceQuerySet(ScopedQuerySet, TreeQuerySet):
    """Scope for reference data: rows that belong to no organisation and are the same for all.

    Guarantee: ``restrict(user, "view")`` returns every row to a user whose roles grant
    the view permission in any scope, and nothing to anyone else; every other action
    needs a role with the "all" scope. Reading a category reveals nothing about any
    organisation, but changing one changes every enterprise's ledger, so only the
    city-wide roles may.
    """

    def restrict(self, user: Any, action: str = "view") -> Self:
        scope = scope_for(user, self.model, action)
        if scope is None or (action != "view" and scope != DataScope.ALL):
            return self.none()
        return self.all()


class AssetCategory(TreeNode, GuoziModel):  # type: ignore[django-manager-missing]
    """A class of assets in the standard census classification (资金, 债权, 实物资产 → 房屋 ...).

    Reference data, seeded by migration 0002: the census adds assets up by top-level class.
    """

    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("parent class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(
        _("name"), max_length=50, unique=True, help_text=_("The name an import file gives in its 资产类别 column.")
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = ReferenceQuerySet.as_manager(with_tree_fields=False)  # type: ignore[call-arg,django-manager-missing,misc]

    # No organisation: ``owning_organization_id`` finds none, so a write passes
    # ``ensure_in_scope`` only for a role with the "all" scope (see ReferenceQuerySet).
    scope_organization = None  # type: ignore[assignment]

    class Meta:
        verbose_name = _("asset class")
        verbose_name_plural = _("asset classes")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assets:assetcategory_detail", args=[self.pk])
