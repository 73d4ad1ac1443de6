"""Load the NACE codes again: they now have Ukrainian labels (KVED-2010, Ukraine's NACE Rev. 2)."""

from django.db import migrations


def load(apps, schema_editor):
    from greenbridge.reference.loaders import load_nace

    load_nace(apps.get_model("reference", "NaceCode"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0004_romanian_letters")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
