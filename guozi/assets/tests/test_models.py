from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guozi.assets.choices import CertificateStatus, Utilisation
from guozi.assets.models import Asset, AssetCategory
from guozi.core.testing import org, user

pytestmark = pytest.mark.usefixtures("demo_world")


def asset(**values: object) -> Asset:
    data: dict[str, object] = {
        "enterprise": org("市城发集团"),
        "code": "M-1",
        "name": "测试楼",
        "category": AssetCategory.objects.get(name="房屋"),
        "book_value": Decimal(1),
        "certificate": CertificateStatus.NOT_NEEDED,
        "utilisation": Utilisation.IN_USE,
        **values,
    }
    return Asset(**data)


def test_the_standard_classes_are_seeded_as_a_tree() -> None:
    tops = [c.name for c in AssetCategory.objects.filter(parent=None)]
    assert tops == ["资金", "债权", "实物资产", "无形资产", "股权", "数据资产", "矿权", "其他"]
    assert [c.name for c in AssetCategory.objects.get(name="实物资产").children.order_by("sort_order")] == [
        "房屋",
        "土地",
        "在建工程",
    ]
    assert AssetCategory.objects.get(name="土地使用权").parent.name == "无形资产"  # type: ignore[union-attr]


def test_a_code_is_unique_within_its_enterprise_with_a_readable_message() -> None:
    with pytest.raises(ValidationError, match="本企业已有该编号的资产"):
        asset(code="CF-0001").full_clean()
    asset(code="CF-0001", enterprise=org("振宁押运")).full_clean()  # another enterprise: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        asset(code="CF-0001").save()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("book_value", Decimal(-1), "账面价值不能为负数"),
        ("original_value", Decimal("-0.01"), "账面原值不能为负数"),
        ("area", Decimal(-5), "面积不能为负数"),
    ],
)
def test_amounts_cannot_be_negative_in_the_database_either(field: str, value: Decimal, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        asset(**{field: value}).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        asset(**{field: value}).save()


def test_asset_classes_are_reference_data_every_reader_of_assets_sees() -> None:
    total = AssetCategory.objects.count()
    for username in ("chengfa", "gaotou", "guoziwei", "ducha", "lingdao"):
        assert AssetCategory.objects.restrict(user(username)).count() == total, username
    for username in ("auditor", "secadmin", "sysadmin"):
        assert not AssetCategory.objects.restrict(user(username)).exists(), username


def test_no_page_role_may_change_a_class() -> None:
    for username in ("chengfa", "guoziwei"):
        assert not AssetCategory.objects.restrict(user(username), "change").exists(), username
