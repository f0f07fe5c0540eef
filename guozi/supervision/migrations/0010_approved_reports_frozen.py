from django.db import migrations

from guozi.core import appendonly


class Migration(migrations.Migration):
    """An approved progress report is frozen: the database refuses UPDATE and DELETE of it."""

    dependencies = [("supervision", "0009_versions")]

    operations = [appendonly.freeze("supervision_progressreport", "OLD.state = 'approved'")]
