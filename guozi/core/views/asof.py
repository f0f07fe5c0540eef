from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date


def as_of_date(request: HttpRequest) -> date:
    """The day a fund page shows (``?as_of=2025-09-30``), today when absent or unreadable."""
    raw = request.GET.get("as_of", "")
    try:
        parsed = parse_date(raw) if raw else None
    except ValueError:
        parsed = None
    return parsed or timezone.localdate()
