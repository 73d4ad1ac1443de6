"""The code lists' Romanian labels now use ș and ț (comma below), not ş and ţ (cedilla): the labels that still have a
cedilla letter are written again. A new database has none (0002 loaded the lists as they are now): nothing to do.
(Folded for search, both letters are s and t: `search_text` stays.)"""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import Q


def mend(apps, schema_editor):
    from greenbridge.reference.loaders import CEDILLA, _labels

    cedilla = reduce(or_, (Q(labels__ro__icontains=letter) for letter in CEDILLA))
    for name in ("CpvCode", "NaceCode"):
        model = apps.get_model("reference", name)
        rows = list(model.objects.filter(cedilla))
        for row in rows:
            row.labels = _labels(row.labels)
        model.objects.bulk_update(rows, ["labels"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_model_names")]
    operations = [migrations.RunPython(mend, migrations.RunPython.noop)]
