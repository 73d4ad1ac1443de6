"""Load the CPV and NACE code lists that ship with the package (also: `greenbridge load_reference`)."""

from django.db import migrations


def load(apps, schema_editor):
    from greenbridge.reference.loaders import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
