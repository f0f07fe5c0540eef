from django.db import migrations

from guozi.core import appendonly


class Migration(migrations.Migration):
    """Submitted report versions are frozen: the database refuses UPDATE and DELETE."""

    dependencies = [("supervision", "0002_indicator_milestone_reportinground_progressreport_and_more")]

    operations = [appendonly.protect("supervision_reportversion")]
