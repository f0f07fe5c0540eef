from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import OrganizationKind
from guozi.core.models.base import GuoziModel, Versioned
from guozi.enterprises.choices import EnterpriseStatus, Level, Ownership
from guozi.enterprises.creditcode import validate_credit_code

ENTERPRISES = {"kind": OrganizationKind.ENTERPRISE}

#: What the SASAC decides about an enterprise; the enterprise itself keeps the rest up to date.
CLASSIFICATION_FIELDS = ("level", "ownership", "status", "merged_into")


class EnterpriseProfile(Versioned, GuoziModel):
    """The registry entry (企业档案) of one enterprise organisation: its credit code, its place
    among the state-owned enterprises, and whether it still exists or was merged away.

    The region is the organisation's own (``core.Organization.region``), not copied here.
    """

    organization = models.OneToOneField(
        "core.Organization",
        verbose_name=_("enterprise name"),
        on_delete=models.PROTECT,
        related_name="enterprise_profile",
        limit_choices_to=ENTERPRISES,
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters, the last a check character (GB 32100-2015)."),
    )
    level = models.PositiveSmallIntegerField(_("enterprise level"), choices=Level.choices)
    ownership = models.CharField(_("city or county"), max_length=10, choices=Ownership.choices)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    status = models.CharField(
        _("registry status"), max_length=20, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "core.Organization",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_profiles",
        limit_choices_to=ENTERPRISES,
        help_text=_("The enterprise this one was merged into; required when it is merged away."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")
        ordering = [
            "ownership",
            "status",
            "level",
            "organization__region",
            "organization__sort_order",
            "organization__name",
        ]
        permissions = [("classify_enterpriseprofile", "Can set an enterprise's level, ownership and status")]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                name="enterprises_profile_credit_code_unique",
                violation_error_message=_("Another enterprise already has this unified social credit code."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=[1, 2, 3]),
                name="enterprises_profile_level_known",
                violation_error_message=_("An enterprise is of the first, second or third tier."),
            ),
            models.CheckConstraint(
                condition=Q(status=EnterpriseStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=EnterpriseStatus.MERGED) & Q(merged_into__isnull=True)),
                name="enterprises_profile_merged_into_when_merged",
                violation_error_message=_(
                    "A merged enterprise names the enterprise it was merged into, and only a merged one does."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("organization")),
                name="enterprises_profile_not_merged_into_itself",
                violation_error_message=_("An enterprise cannot be merged into itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.organization.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterpriseprofile_detail", args=[self.pk])
