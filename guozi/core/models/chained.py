from typing import Any

from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guozi.core import chain
from guozi.core.scope import ScopedQuerySet


class ChainedQuerySet(ScopedQuerySet):
    """Bulk inserts of chained records are sealed like single ones."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        with transaction.atomic(using=self.db):
            chain.seal(self.model, objs, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)


class ChainedRecord(models.Model):
    """An append-only record in an SM3 hash chain (``guozi.core.chain``).

    Records are only ever inserted: saving an existing one is refused here, and
    the database triggers refuse it whatever path it takes.
    """

    # Set when sealed rather than by auto_now_add, which would overwrite the hashed value.
    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("SM3 hash"), max_length=64, editable=False)

    objects = ChainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} is append-only")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            chain.seal(type(self), [self], using=using)
            super().save(*args, **kwargs)
