from django.db import migrations

from guozi.core import appendonly


class Migration(migrations.Migration):
    """A published quarterly report is frozen: the database refuses UPDATE and DELETE of it."""

    dependencies = [("reports", "0003_versions")]

    operations = [appendonly.freeze("reports_generatedreport", "OLD.published_on IS NOT NULL")]
