"""What the assets app does when the organisation tree changes (found by ``guozi.core.registry``)."""

from __future__ import annotations

from guozi.assets import summaries
from guozi.core.models import Organization


def organization_moved(*, organization: Organization, old_parent_id: int | None, new_parent_id: int | None) -> None:
    """The moved subtree's asset figures leave the old parent's rollups and join the new's."""
    summaries.move(organization.pk, old_parent_id, new_parent_id)
