"""Plain INSERT / UPDATE with executemany, for the ingestion pipeline's hot path.

Django's bulk_create and bulk_update resolve an expression per value (bulk_update builds one
CASE WHEN per field and row); on a 30-column notice that cost about 1 ms per row, more than
everything else the pipeline does. These helpers prepare each value with the field's own
`get_db_prep_save` (the same conversion Django applies) and hand the rows to the driver's
executemany. They do not send signals or run `save()`: use them only on models that need neither.
"""

from collections.abc import Sequence

from django.db import connection, models


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(n) for n in names]


# Fields whose Python value (str, bool, int, None) is already what the database takes.
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)
_PLAIN_VALUES = (str, bool, int, type(None))


def _values(obj: models.Model, fields: list[models.Field], add: bool) -> list:
    # pre_save applies auto_now / auto_now_add, exactly as Model.save() would.
    out = []
    for f in fields:
        value = f.pre_save(obj, add)
        if not (isinstance(f, _PLAIN) and type(value) in _PLAIN_VALUES):
            value = f.get_db_prep_save(value, connection)
        out.append(value)
    return out


def insert(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """INSERT the objects (their primary keys are not read back)."""
    if objs:
        cols = _columns(model, fields)
        insert_values(model, fields, [_values(o, cols, True) for o in objs])


def insert_values(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """INSERT rows given as values ready for the database (no model instances: for many small rows)."""
    if not rows:
        return
    cols = _columns(model, fields)
    qn = connection.ops.quote_name
    # Table and column names come from the model, quoted; values are always parameters.
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in cols)}) "
        f"VALUES ({', '.join(['%s'] * len(cols))})"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def update(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """UPDATE these fields of the objects, by primary key."""
    if not objs:
        return
    cols = _columns(model, fields)
    qn = connection.ops.quote_name
    pk = model._meta.pk
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in cols)} "
        f"WHERE {qn(pk.column)} = %s"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, [[*_values(o, cols, False), o.pk] for o in objs])
