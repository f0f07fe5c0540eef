from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.supervision.models.plans import TargetTask


class Problem(Versioned, GuoziModel):
    """A difficult problem found while carrying out a task (重难点问题), until the office closes it (销号)."""

    task = models.ForeignKey(
        TargetTask, verbose_name=_("target task"), on_delete=models.PROTECT, related_name="problems"
    )
    description = models.TextField(_("description"))
    found_on = models.DateField(_("found on"))
    owner_unit = models.ForeignKey(
        "core.Organization", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="problems"
    )
    due_on = models.DateField(_("due on"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("销号: the office confirms it is resolved.")
    )

    scope_organization: ClassVar[str] = "task__lead_unit"
    scope_read_also: ClassVar[tuple[str, ...]] = ("owner_unit", "task__partner_units")

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["task", "found_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(resolved_on__isnull=False),
                name="supervision_problem_closed_after_resolved",
                violation_error_message=_("Only a resolved problem can be closed."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("found_on")),
                name="supervision_problem_due_after_found",
                violation_error_message=_("A problem cannot be due before it was found."),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:50]

    def get_absolute_url(self) -> str:
        return reverse("supervision:problem_detail", args=[self.pk])
