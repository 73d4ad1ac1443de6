"""The full-text index holds each notice's CPV codes at every level of the vocabulary (cpv09, cpv093, …,
cpv09331200), so that a search for the codes under a prefix reads one token: the index is built again."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from greenbridge.tenders.search import rebuild_index

    rebuild_index(schema_editor, apps.get_model("tenders", "Notice"))


class Migration(migrations.Migration):
    dependencies = [("tenders", "0005_notice_nuts_codes_ojs_number")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
