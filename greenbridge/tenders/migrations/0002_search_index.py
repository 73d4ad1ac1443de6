"""The full-text index: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    from greenbridge.tenders.search import create_index

    create_index(schema_editor)


def drop(apps, schema_editor):
    from greenbridge.tenders.search import drop_index

    drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tenders", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
