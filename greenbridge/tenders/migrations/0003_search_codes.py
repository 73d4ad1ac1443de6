"""The full-text index also holds each notice's CPV codes (cross-language search): the index is built
again with its new column, from the notices already in the database."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from greenbridge.tenders.search import rebuild_index

    rebuild_index(schema_editor, apps.get_model("tenders", "Notice"))


class Migration(migrations.Migration):
    dependencies = [("tenders", "0002_search_index")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
