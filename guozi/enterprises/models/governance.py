from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Versioned
from guozi.enterprises.choices import CreditGrade, GovernanceKind
from guozi.enterprises.models.profiles import ENTERPRISES


def _name(organization: models.Model) -> str:
    return getattr(organization, "short_name", "") or str(organization)


class GovernanceRecord(Versioned, GuoziModel):
    """A step of corporate-governance reform (公司治理) done on a date: a board built, a supervisory
    board reformed, external directors appointed, a party committee's pre-study list, a decoupling.

    A record is about one enterprise, or, for a figure the SASAC reports across many enterprises
    ("完成了483家市县属国有企业监事会改革"), about the SASAC itself, with the number in ``count``.
    """

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="governance_records",
        help_text=_("The enterprise; or the SASAC, for a figure it reports across many enterprises."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=GovernanceKind.choices)
    title = models.CharField(_("what was done"), max_length=200)
    done_on = models.DateField(_("date"))
    count = models.PositiveIntegerField(
        _("count"),
        null=True,
        blank=True,
        help_text=_(
            "How many: enterprises reformed, directors appointed, enterprises decoupled. "
            "Required for every kind but board building."
        ),
    )
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("governance record")
        verbose_name_plural = _("governance records")
        ordering = ["-done_on", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=GovernanceKind.BOARD) | Q(count__isnull=False),
                name="enterprises_governance_count_given",
                violation_error_message=_("Say how many: this kind of record is counted."),
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1),
                name="enterprises_governance_count_positive",
                violation_error_message=_("A count is at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_name(self.organization)} {self.get_kind_display()} {self.done_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:governancerecord_detail", args=[self.pk])


class CreditRating(Versioned, GuoziModel):
    """A credit rating (主体信用评级) an agency gave an enterprise on a date."""

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="credit_ratings",
        limit_choices_to=ENTERPRISES,
    )
    agency = models.CharField(_("rating agency"), max_length=100)
    grade = models.CharField(_("grade"), max_length=4, choices=CreditGrade.choices)
    rated_on = models.DateField(_("rated on"))
    note = models.TextField(_("note"), blank=True)

    scope_organization: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("credit rating")
        verbose_name_plural = _("credit ratings")
        ordering = ["-rated_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "agency", "rated_on"],
                name="enterprises_rating_once_a_day",
                violation_error_message=_("This agency already rated this enterprise on that day."),
            )
        ]

    def __str__(self) -> str:
        return f"{_name(self.organization)} {self.grade}（{self.agency}，{self.rated_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:creditrating_detail", args=[self.pk])


class Headcount(Versioned, GuoziModel):
    """An enterprise's approved staffing on a date: its staff quota (定编) and its management
    posts (管理岗位 or 职数). Two snapshots make a before and after ("88人精简至60人")."""

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="headcounts",
        limit_choices_to=ENTERPRISES,
    )
    as_of = models.DateField(_("as of"))
    staff_quota = models.PositiveIntegerField(
        _("staff quota"), null=True, blank=True, help_text=_("定编: approved staff positions (people).")
    )
    management_posts = models.PositiveIntegerField(
        _("management posts"),
        null=True,
        blank=True,
        help_text=_("管理岗位 / 职数: management positions (posts)."),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("What the figures cover, e.g. 本部, 不含市管干部.")
    )

    scope_organization: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("headcount snapshot")
        verbose_name_plural = _("headcount snapshots")
        ordering = ["organization__sort_order", "organization__name", "as_of"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_quota__isnull=False) | Q(management_posts__isnull=False),
                name="enterprises_headcount_has_a_figure",
                violation_error_message=_("Give the staff quota, the management posts or both."),
            ),
            models.UniqueConstraint(
                fields=["organization", "as_of"],
                name="enterprises_headcount_once_a_day",
                violation_error_message=_("This enterprise already has a snapshot of that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_name(self.organization)} {self.as_of:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:headcount_detail", args=[self.pk])
