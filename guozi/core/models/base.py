import functools
from typing import ClassVar

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import SecurityLabel
from guozi.core.scope import ScopedQuerySet

#: A primary key no row has, reversed once to learn where a route puts its ``<int:pk>``.
_PK_MARK = 987654321987654321


@functools.cache
def _pk_route(url_name: str, urlconf: str | None, script_prefix: str) -> tuple[str, str]:
    before, mark, after = reverse(url_name, args=[_PK_MARK], urlconf=urlconf).partition(str(_PK_MARK))
    assert mark, url_name  # nosec B101 # a route with exactly one <int:pk> argument
    return before, after


def pk_url(url_name: str, pk: int) -> str:
    """``reverse(url_name, args=[pk])`` for a route whose one argument is an ``<int:pk>``, without
    the resolver: a list's rows link to their pages, and ``reverse`` per row cost a ledger page
    about a millisecond. Per URLconf and script prefix, as ``reverse`` itself would answer."""
    before, after = _pk_route(url_name, get_urlconf(), get_script_prefix())
    return f"{before}{int(pk)}{after}"


class GuoziModel(models.Model):
    """What every Guozi row has: timestamps and the scoped default manager.

    A subclass names how its rows reach an organisation (``scope_organization``, a
    lookup path such as ``"organization"`` or ``"enterprise__organization"``) and,
    if rows have a personal owner, ``scope_owner``. Writes go through services that
    record each change in the change log (``guozi.core.changes``).
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_organization: ClassVar[str] = "organization"
    #: Further organisation paths that open a row for reading, never for writing.
    scope_read_also: ClassVar[tuple[str, ...]] = ()
    scope_owner: ClassVar[str | None] = None

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A row people edit: ``version`` counts its saves, so a stale save is refused.

    Every update names the version it started from and writes with a compare-and-swap
    (``UPDATE … SET version = version + 1 WHERE id = … AND version = …``): of two
    people who opened the same version, the second to save is refused, and shown what
    the first changed (``guozi.core.changes.update_object``; SECURITY.md 4.2,
    ASVS 5.0 §2.3.4). Forms carry it as a hidden field, the API as ``ETag``/``If-Match``.
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class Labelled(models.Model):
    """A record carrying a security label (安全标记, 8.1.4.2 g), enforced by ``restrict()``.

    Only users whose clearance is at least the label see the row, in every list,
    page, export and API answer, because ``scope.scope_q`` adds the condition for
    any model that names ``scope_label``. The security administrator sets labels
    (``guozi label``); new rows are internal.
    """

    security_label = models.PositiveSmallIntegerField(
        _("security label"), choices=SecurityLabel.choices, default=SecurityLabel.INTERNAL
    )

    scope_label: ClassVar[str] = "security_label"

    class Meta:
        abstract = True

    def label_frozen(self) -> bool:
        """Whether the database refuses a change to this row (a published report), its label too."""
        return False
