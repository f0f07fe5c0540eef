"""The standard classes of the 三资 census (issue 4 §2): reference data every installation has.

Codes are stable keys (an import file may name a class by its code); names are what
the template's 资产类别 column holds. Migration 0002 seeds them; the demo ensures them
again because transactional tests empty every table, migrated data included.
"""

from __future__ import annotations

from typing import Any

# (code, name, sort order, children); a child sorts right after its parent in a flat list.
STANDARD_CLASSES: list[tuple[str, str, int, list[tuple[str, str, int]]]] = [
    ("01", "资金", 10, []),
    ("02", "债权", 20, []),
    ("03", "实物资产", 30, [("0301", "房屋", 31), ("0302", "土地", 32), ("0303", "在建工程", 33)]),
    ("04", "无形资产", 40, [("0401", "土地使用权", 41)]),
    ("05", "股权", 50, []),
    ("06", "数据资产", 60, []),
    ("07", "矿权", 70, []),
    ("99", "其他", 990, []),
]


def ensure_standard_classes(model: Any = None) -> None:
    """Create the standard classes that are missing (by code), leaving existing ones as they are.

    ``model`` is the migration's historical ``AssetCategory``; the current one by default.
    Not change-logged: reference data without an acting user, like the migration itself.
    """
    if model is None:
        from guozi.assets.models import AssetCategory as model
    for code, name, order, children in STANDARD_CLASSES:
        parent, _ = model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        for child_code, child_name, child_order in children:
            model.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "sort_order": child_order, "parent": parent}
            )
