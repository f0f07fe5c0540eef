"""Keep only digests of the backup codes already handed out (8.1.4.8 b).

A code is 8 characters (django-otp's ``random_token``), a digest 16 hex characters: a
token of 8 characters is a code still kept in plain. One way only: a digest cannot be
turned back into its code, so going back leaves the digests (and those codes stop working).
"""

from typing import Any

from django.db import migrations


def hash_codes(apps: Any, schema_editor: Any) -> None:
    from guozi.core.services.second_factor import backup_code_digest

    tokens = apps.get_model("otp_static", "StaticToken")
    for token in tokens.objects.using(schema_editor.connection.alias).select_related("device").order_by("pk"):
        if len(token.token) != 16:
            token.token = backup_code_digest(token.device.user_id, token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [("core", "0013_seal_totp_keys"), ("otp_static", "0003_add_timestamps")]

    operations = [migrations.RunPython(hash_codes, migrations.RunPython.noop)]
