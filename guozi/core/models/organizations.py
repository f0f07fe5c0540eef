from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from guozi.core.choices import OrganizationKind
from guozi.core.models.base import GuoziModel, Versioned
from guozi.core.scope import ScopedQuerySet


class OrganizationQuerySet(ScopedQuerySet, TreeQuerySet):
    pass


class Organization(TreeNode, Versioned, GuoziModel):  # type: ignore[django-manager-missing]
    """A government office, department or enterprise: one node of the organisation tree.

    An organisation is the unit of data scope: users belong to one, and a role with
    the "own organisation and descendants" scope sees this node and everything below it.
    """

    # PROTECT, not tree_queries' CASCADE: deleting a unit must never silently take
    # its subsidiaries and their data with it.
    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    region = models.CharField(
        _("region"), max_length=50, blank=True, help_text=_("City, county or district, e.g. 咸安区.")
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganizationQuerySet.as_manager(with_tree_fields=False)  # type: ignore[call-arg,django-manager-missing,misc]

    scope_organization: ClassVar[str] = "pk"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organization_detail", args=[self.pk])
