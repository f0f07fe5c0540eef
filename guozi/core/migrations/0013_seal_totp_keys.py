"""Encrypt the TOTP device keys already stored in plain hex (8.1.4.8 b, SEC-CRY-02).

Needs ``GUOZI_FIELD_KEY`` only if there are keys to seal. Reversible: unsealing writes the
plain keys back (for a rollback of this release only).
"""

from binascii import hexlify
from typing import Any

from django.db import migrations


def seal(apps: Any, schema_editor: Any) -> None:
    from guozi.core import field_encryption
    from guozi.core.services.second_factor import totp_key_seal

    devices = apps.get_model("otp_totp", "TOTPDevice")
    for device in devices.objects.using(schema_editor.connection.alias).order_by("pk"):
        if not field_encryption.is_sealed(device.key):
            device.key = totp_key_seal(device.key, device.user_id)
            device.save(update_fields=["key"])


def unseal(apps: Any, schema_editor: Any) -> None:
    from guozi.core import field_encryption
    from guozi.core.services.second_factor import _where

    devices = apps.get_model("otp_totp", "TOTPDevice")
    for device in devices.objects.using(schema_editor.connection.alias).order_by("pk"):
        if field_encryption.is_sealed(device.key):
            device.key = hexlify(field_encryption.open_bytes(device.key, _where(device.user_id))).decode()
            device.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("core", "0012_importbatch_counts"), ("otp_totp", "0003_add_timestamps")]

    operations = [migrations.RunPython(seal, unseal)]
