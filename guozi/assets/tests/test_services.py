from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guozi.assets.choices import CertificateStatus, ImportStatus, Utilisation
from guozi.assets.models import Asset, AssetCategory, LedgerUpload
from guozi.assets.services import imports, uploads
from guozi.assets.services.assets import asset_create, asset_delete, asset_update
from guozi.assets.services.uploads import ledger_upload_create, ledger_upload_import, ledger_upload_start
from guozi.assets.tests.ledgerfiles import csv_file, row
from guozi.core.changes import COMMAND
from guozi.core.models import ChangeRecord
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")


def data(**values: object) -> dict[str, object]:
    return {
        "enterprise": org("市城发集团"),
        "code": "S-1",
        "name": "城发停车楼",
        "category": AssetCategory.objects.get(name="房屋"),
        "book_value": Decimal("1000000"),
        "certificate": CertificateStatus.MISSING,
        "utilisation": Utilisation.IN_USE,
        **values,
    }


def test_create_update_delete_are_recorded() -> None:
    chengfa = user("chengfa")
    asset = asset_create(actor=chengfa, origin=COMMAND, data=data())
    asset_update(actor=chengfa, origin=COMMAND, asset=asset, data={"utilisation": Utilisation.IDLE})
    pk = asset.pk
    asset_delete(actor=chengfa, origin=COMMAND, asset=asset)
    records = ChangeRecord.objects.filter(content_type__model="asset", object_id=str(pk)).order_by("pk")
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert (records[1].before["utilisation"], records[1].after["utilisation"]) == ("in_use", "idle")
    assert all(r.organization_id == org("市城发集团").pk for r in records)


def test_an_enterprise_cannot_write_into_another_enterprises_ledger() -> None:
    chengfa = user("chengfa")
    with pytest.raises(PermissionDenied):
        asset_create(actor=chengfa, origin=COMMAND, data=data(enterprise=org("市高投集团")))
    foreign = Asset.objects.get(code="GT-0001")
    with pytest.raises(PermissionDenied):
        asset_update(actor=chengfa, origin=COMMAND, asset=foreign, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        asset_delete(actor=chengfa, origin=COMMAND, asset=foreign)
    with pytest.raises(PermissionDenied):
        asset_create(actor=user("guoziwei"), origin=COMMAND, data=data())  # reads every ledger, writes none
    assert Asset.objects.get(code="GT-0001").name == foreign.name


def test_an_asset_keeps_its_enterprise_and_code() -> None:
    asset = Asset.objects.get(code="CF-0001")
    for change in ({"enterprise": org("振宁押运")}, {"code": "CF-9999"}):
        with pytest.raises(ValidationError, match="划转"):
            asset_update(actor=user("chengfa"), origin=COMMAND, asset=asset, data=change)


def test_an_upload_is_imported_by_its_uploader_only_and_once() -> None:
    upload = ledger_upload_create(actor=user("chengfa"), file_name="u.csv", content=csv_file([row("U-1")]))
    assert (upload.is_ready, upload.creates, bytes(upload.content) != b"") == (True, 1, True)
    with pytest.raises(PermissionDenied):
        ledger_upload_import(actor=user("gaotou"), origin=COMMAND, upload=upload)
    upload = ledger_upload_import(actor=user("chengfa"), origin=COMMAND, upload=upload)
    assert upload.import_batch is not None
    assert bytes(upload.content) == b""  # the file has served its purpose
    with pytest.raises(ValidationError, match="已经导入"):
        ledger_upload_import(actor=user("chengfa"), origin=COMMAND, upload=upload)
    assert Asset.objects.filter(code="U-1").count() == 1


def test_a_refused_upload_keeps_its_errors_but_not_its_content() -> None:
    upload = ledger_upload_create(
        actor=user("chengfa"), file_name="bad.csv", content=csv_file([row("U-1", book_value="-3")])
    )
    assert (upload.is_ready, upload.error_count, bytes(upload.content)) == (False, 1, b"")
    assert upload.errors == [{"row": 4, "column": "账面价值(万元)", "value": "-3", "reason": "不能为负数。"}]
    assert LedgerUpload.objects.restrict(user("gaotou")).filter(pk=upload.pk).count() == 0


def test_a_file_checked_before_a_rival_import_is_checked_again_on_confirmation() -> None:
    first = ledger_upload_create(actor=user("chengfa"), file_name="a.csv", content=csv_file([row("R-1")]))
    ledger_upload_import(
        actor=user("chengfa"),
        origin=COMMAND,
        upload=ledger_upload_create(actor=user("chengfa"), file_name="b.csv", content=csv_file([row("R-1")])),
    )
    # Since its check, R-1 was created by the other import: confirming now leaves it unchanged.
    first = ledger_upload_import(actor=user("chengfa"), origin=COMMAND, upload=first)
    assert (first.creates, first.updates, first.unchanged) == (0, 0, 1)


def test_an_import_reports_its_progress_after_each_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    reported: list[int] = []
    outcome = imports.ledger_import(
        actor=user("chengfa"),
        origin=COMMAND,
        file_name="p.csv",
        content=csv_file([row(f"PG-{n}") for n in range(5)]),
        progress=reported.append,
    )
    assert outcome.batch is not None
    assert reported == [2, 4, 5]


def test_a_confirmed_upload_is_queued_then_imported_by_its_job() -> None:
    upload = ledger_upload_create(actor=user("chengfa"), file_name="q.csv", content=csv_file([row("Q-1")]))
    started: list[Callable[[], None]] = []
    upload = ledger_upload_start(actor=user("chengfa"), origin=COMMAND, upload=upload, schedule=started.append)
    assert upload.status == ImportStatus.QUEUED
    assert not upload.is_ready
    with pytest.raises(ValidationError):
        ledger_upload_start(actor=user("chengfa"), origin=COMMAND, upload=upload, schedule=started.append)
    assert not Asset.objects.filter(code="Q-1").exists()
    uploads._import_job(upload.pk, user("chengfa").pk, COMMAND)  # what the thread runs
    upload.refresh_from_db()
    assert (upload.status, upload.rows_done, upload.creates) == (ImportStatus.DONE, 1, 1)
    assert Asset.objects.filter(code="Q-1", import_batch=upload.import_batch).exists()


def test_guozi_import_assets_prints_progress_and_imports(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """`guozi import assets FILE --actor USER` (the issue's command line), with progress on stderr."""
    from pathlib import Path

    from django.core.management import call_command

    from guozi.assets.models import Asset
    from guozi.assets.services.imports import ledger_template

    rows = [
        [
            f"CLI-{n}",
            "市城发集团",
            f"命令行导入资产{n}",
            "房屋",
            "咸宁市",
            "",
            1,
            "",
            "100",
            "2020-01-01",
            "无需办证",
            "在用",
            "",
            "",
        ]
        for n in (1, 2)
    ]
    path = Path(str(tmp_path)) / "台账.xlsx"
    path.write_bytes(ledger_template(reporting_unit="市城发集团", rows=rows))
    before = Asset.objects.count()
    call_command("import", "assets", str(path), "--actor", "chengfa", "--dry-run")
    assert Asset.objects.count() == before
    call_command("import", "assets", str(path), "--actor", "chengfa")
    assert Asset.objects.count() == before + 2
    captured = capsys.readouterr()
    assert "已处理 2 行" in captured.err
    assert "2 created" in captured.out
