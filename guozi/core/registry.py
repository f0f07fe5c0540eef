"""What each Guozi app contributes to the platform, found by module name.

An app may have a ``demo`` module (``load()``, the app's share of the demo data),
a ``roles`` module (``GRANTS``, permissions it adds to the standard roles) and a ``tree``
module (``organization_moved(organization=, old_parent_id=, new_parent_id=)``, called in the
transaction that gives an organisation another parent).
Core looks for them in INSTALLED_APPS order, so it never imports a sibling by name.
"""

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("guozi.") or config.name == "guozi.core":
            continue
        dotted = f"{config.name}.{name}"
        if find_spec(dotted) is not None:
            yield import_module(dotted)
