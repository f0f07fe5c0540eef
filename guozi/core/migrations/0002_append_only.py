from django.db import migrations

from guozi.core import appendonly


class Migration(migrations.Migration):
    """The change log and login log refuse UPDATE and DELETE in the database itself."""

    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(appendonly.install, appendonly.uninstall)]
