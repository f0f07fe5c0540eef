import hashlib
import json
from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.models.base import GuoziModel, Labelled, Versioned
from guozi.reports.document import ReportDocument


def content_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class GeneratedReport(Labelled, Versioned, GuoziModel):
    """A quarterly report as generated and kept: the document and the SHA-256 of its content.

    The stored document is what was sent; regenerating the same quarter from the same
    records gives the same digest, so a changed record shows as a changed digest.
    """

    plan = models.ForeignKey("supervision.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    unit = models.ForeignKey(
        "core.Organization", verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    findings = models.PositiveIntegerField(_("cross-check findings"), default=0)
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("政务公开: from this day the text is on the public page, without a sign-in."),
    )

    scope_organization: ClassVar[str] = "unit"

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:generatedreport_detail", args=[self.pk])

    def document(self) -> ReportDocument:
        return ReportDocument.from_json(self.content)

    def label_frozen(self) -> bool:
        return self.published_on is not None  # frozen by the database (migration 0004)

    @property
    def is_draft(self) -> bool:
        return self.title.endswith("（草稿）")
