"""Seed the standard classes of the 三资 census (``guozi.assets.classification``)."""

from django.db import migrations

from guozi.assets.classification import ensure_standard_classes


def seed(apps, schema_editor):
    ensure_standard_classes(apps.get_model("assets", "AssetCategory"))


def unseed(apps, schema_editor):
    AssetCategory = apps.get_model("assets", "AssetCategory")
    AssetCategory.objects.exclude(parent=None).delete()
    AssetCategory.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
