"""REL-LOCK-01, no lost updates: a sweep over every model the generic pages edit.

For each, two editors open the same version; the first saves through the model's
own update service, as the edit page does; the second, still holding the old
version, is refused and changes nothing. A new editable model is swept by itself:
it must be ``Versioned`` and its service must pass the form's version through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

import guozi.urls  # noqa: F401  (loads every app's page declarations into REGISTRY)
from guozi.core.changes import COMMAND, EditConflict, snapshot
from guozi.core.models import ChangeRecord, User
from guozi.core.models.base import Versioned
from guozi.core.testing import user
from guozi.core.views.generic import REGISTRY, ObjectViews
from guozi.supervision.models import ProgressReport
from guozi.supervision.services.reminders import remind
from guozi.supervision.services.reports import contribution_create
from guozi.supervision.testing import open_q4

pytestmark = pytest.mark.usefixtures("demo_world")


def label(views: type[ObjectViews]) -> str:
    return views.model._meta.label


EDITABLE = sorted((views for views in REGISTRY.values() if views.update is not None), key=label)


def test_every_model_with_an_edit_page_is_versioned() -> None:
    assert len(EDITABLE) >= 20, "the registry was not loaded"
    assert [label(views) for views in EDITABLE if not issubclass(views.model, Versioned)] == []


def _q4() -> None:
    open_q4()  # drafts to edit: the demo's reports are all approved


def _notices() -> None:
    open_q4(due_on=date(2026, 1, 10), grace_days=0)
    remind(actor=user("ducha"), origin=COMMAND, today=date(2026, 1, 20))


def _sections() -> None:
    report = ProgressReport.objects.get(round=open_q4(), task__number=48)
    contribution_create(actor=user("chengfa"), origin=COMMAND, data={"report": report, "text": "城发集团的进展"})


#: Rows the demo data does not hold, made the way the application makes them.
SETUP: dict[str, Callable[[], None]] = {
    "supervision.ProgressReport": _q4,
    "supervision.Notice": _notices,
    "supervision.ReportContribution": _sections,
}


def form_data(views: type[ObjectViews], obj: Any, actor: User) -> dict[str, Any] | None:
    """What the edit page posts for ``obj`` unchanged (values as displayed: money in 万元), cleaned."""
    assert views.form is not None
    shown = views.form(instance=obj, user=actor)  # type: ignore[call-arg]
    posted = {name: shown[name].value() for name in shown.fields}
    form = views.form(data=posted, instance=obj, user=actor)  # type: ignore[call-arg]
    return dict(form.cleaned_data) if form.is_valid() else None


def save(views: type[ObjectViews], actor: User, obj: Any, data: dict[str, Any]) -> Any:
    assert views.update is not None
    return views.update(actor=actor, origin=COMMAND, data=data, **{views.model_name(): obj})


def an_editable_row(views: type[ObjectViews]) -> tuple[User, Any, dict[str, Any]]:
    """A user, a row in their scope and the form data they may save it with (the service's rules hold)."""
    manager = views.model._default_manager
    for actor in User.objects.filter(is_active=True).order_by("pk"):
        for obj in manager.restrict(actor, "change").order_by("-pk")[:8]:  # type: ignore[attr-defined]
            data = form_data(views, obj, actor)
            if data is None:
                continue
            try:
                with transaction.atomic():
                    save(views, actor, manager.get(pk=obj.pk), data)
                    raise _Probe
            except _Probe:
                return actor, obj, data
            except (ValidationError, PermissionDenied):
                continue
    pytest.fail(f"no demo row of {label(views)} that some user may save: add one to the demo data")


class _Probe(Exception):
    """Rolls the probing save back."""


@pytest.mark.parametrize("views", EDITABLE, ids=label)
def test_the_second_of_two_editors_of_the_same_version_is_refused(views: type[ObjectViews]) -> None:
    SETUP.get(label(views), lambda: None)()
    actor, obj, data = an_editable_row(views)
    manager = views.model._base_manager
    started_from = obj.version

    save(views, actor, manager.get(pk=obj.pk), data)  # the first editor
    stored = manager.get(pk=obj.pk)
    assert stored.version == started_from + 1
    records = ChangeRecord.objects.count()

    # The second editor posts the version the form was opened at. The page hands the
    # service a freshly read row, so only the posted version can tell it is stale.
    with pytest.raises(EditConflict) as refused:
        save(views, actor, manager.get(pk=obj.pk), {**data, "version": started_from})
    assert (refused.value.edited, refused.value.current) == (started_from, started_from + 1)
    assert snapshot(manager.get(pk=obj.pk)) == snapshot(stored)
    assert ChangeRecord.objects.count() == records


def test_a_save_landing_between_the_check_and_the_write_is_not_overwritten(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compare-and-swap UPDATE, not the read before it, decides (SQLite ignores SELECT FOR UPDATE)."""
    from guozi.core.changes import update_object
    from guozi.core.models import Organization

    target = Organization.objects.get(short_name="振宁押运")
    validate = Organization.full_clean

    def another_save_meanwhile(self: Organization, *args: Any, **kwargs: Any) -> None:
        validate(self, *args, **kwargs)
        # As if another session saved and committed right after this one's version check.
        Organization.objects.filter(pk=self.pk).update(region="通山县", version=F("version") + 1)

    monkeypatch.setattr(Organization, "full_clean", another_save_meanwhile)
    with pytest.raises(EditConflict):
        update_object(
            actor=user("guoziwei"),
            origin=COMMAND,
            instance=target,
            data={"region": "咸安区", "version": target.version},
        )
    # Nothing of this save was written (the simulated other save shares its transaction, so it is gone too).
    assert Organization.objects.get(pk=target.pk).region == "咸宁市"


def test_an_import_does_not_overwrite_an_asset_edited_since_the_import_read_it() -> None:
    from guozi.assets.importing.writer import write_changes
    from guozi.assets.models import Asset

    asset = Asset.objects.order_by("pk").first()
    assert asset is not None
    read_by_import = Asset.objects.get(pk=asset.pk)
    before = snapshot(read_by_import)
    # Someone saves the asset through its page (and commits) while the file is being checked.
    Asset.objects.filter(pk=asset.pk).update(location="他人刚改的位置", version=F("version") + 1)
    read_by_import.location = "导入表中的位置"
    with pytest.raises(EditConflict), transaction.atomic():
        write_changes(actor=user("guoziwei"), origin=COMMAND, updates=[(read_by_import, before)])
    assert Asset.objects.get(pk=asset.pk).location == "他人刚改的位置"


def test_a_row_saved_by_someone_else_is_not_deleted_unseen() -> None:
    from guozi.core.choices import OrganizationKind
    from guozi.core.models import Organization
    from guozi.core.services.organizations import organization_create, organization_update
    from guozi.core.testing import client_for, org

    new = organization_create(
        actor=user("sysadmin"),
        origin=COMMAND,
        data={"name": "待删除的演示企业", "kind": OrganizationKind.ENTERPRISE, "parent": org("国资委")},
    )
    client = client_for("sysadmin")
    url = f"/core/organization/{new.pk}/delete/"
    assert f'name="version" value="{new.version}"' in client.get(url).content.decode()
    organization_update(actor=user("sysadmin"), origin=COMMAND, organization=new, data={"region": "崇阳县"})
    refused = client.post(url, {"version": new.version - 1})
    assert refused.status_code == 409
    assert "崇阳县" in refused.content.decode()  # what the other person changed
    assert Organization.objects.filter(pk=new.pk).exists()
    assert client.post(url, {"version": new.version}).status_code == 302
    assert not Organization.objects.filter(pk=new.pk).exists()
