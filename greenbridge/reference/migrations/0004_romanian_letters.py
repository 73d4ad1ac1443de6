"""Load the code lists again: their Romanian labels now use ș and ț (comma below), not ş and ţ (cedilla)."""

from django.db import migrations


def load(apps, schema_editor):
    from greenbridge.reference.loaders import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_model_names")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
