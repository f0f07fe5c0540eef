"""Generated quarterly reports keep the SHA-256 of their content (checked by ``core.integrity``)."""

from guozi.core.integrity import Hashed
from guozi.reports.models import GeneratedReport, content_digest

HASHED = (Hashed(GeneratedReport, "content", content_digest),)
