"""Submitted progress-report versions keep the SHA-256 of their content (checked by ``core.integrity``)."""

from guozi.core.integrity import Hashed
from guozi.supervision.models import ReportVersion
from guozi.supervision.services.reports import version_digest

HASHED = (Hashed(ReportVersion, "content", version_digest, chunk=500),)
