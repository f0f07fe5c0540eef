"""Rules several asset services share."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def ensure_not_in_future(field: str, day: date | None) -> None:
    """Refuse a date after today (Asia/Shanghai): these records say what happened, not what is planned."""
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
