"""Plain INSERT / UPDATE with executemany, for the ingestion pipeline's hot path.

Django's bulk_create and bulk_update resolve an expression per value (bulk_update builds one
CASE WHEN per field and row); on a 30-column notice that cost about 1 ms per row, more than
everything else the pipeline does. These helpers prepare each value with the field's own
`get_db_prep_save` (the same conversion Django applies) and hand the rows to the driver's
executemany. They do not send signals or run `save()`: use them only on models that need neither.
"""

import json
import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(n) for n in names]


# Fields whose Python value (str, bool, int, None) is already what the database takes.
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)
_PLAIN_VALUES = frozenset({str, bool, int, type(None)})
_EMPTY_JSON = {list: "[]", dict: "{}"}


def converter(field: models.Field) -> Callable[[Any], Any]:
    """A function giving a value as the database takes it: what `field.get_db_prep_save` gives,
    with shortcuts for the types the pipeline writes by the hundred thousand, chosen once per
    column rather than per value. Each shortcut does what Django's backend adapter does for that
    type (DatabaseOperations.adapt_datetimefield_value / adapt_json_value)."""

    def slow(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    sqlite = connection.vendor == "sqlite"
    if isinstance(field, _PLAIN):
        return lambda value: value if type(value) in _PLAIN_VALUES else slow(value)
    if isinstance(field, models.FloatField):  # FloatField.get_prep_value is float(value)
        return lambda value: value if value is None or type(value) is float else slow(value)
    if isinstance(field, models.DateTimeField):
        last: list[Any] = [None, None]  # the previous value and its conversion: a batch repeats "now"

        def datetime_value(value: Any) -> Any:
            if value is last[0]:
                return last[1]
            if type(value) is datetime and (tz := value.tzinfo) is not None:
                # SQLite stores naive UTC text; PostgreSQL's driver takes aware datetimes as they are.
                if not sqlite:
                    return value
                converted = str((value if tz is UTC else value.astimezone(UTC)).replace(tzinfo=None))
                last[0], last[1] = value, converted
                return converted
            return slow(value)

        return datetime_value
    if isinstance(field, models.DecimalField):

        def decimal_value(value: Any) -> Any:
            # DecimalField.get_db_prep_save gives a finite Decimal back as it is (a copy of it).
            if type(value) is Decimal and value.is_finite():
                return value
            return slow(value)

        return decimal_value
    if sqlite and isinstance(field, models.JSONField) and field.encoder is None:

        def json_value(value: Any) -> Any:
            kind = type(value)
            if kind is list or kind is dict:  # SQLite stores JSON as text
                return json.dumps(value) if value else _EMPTY_JSON[kind]
            return slow(value)

        return json_value
    return slow


def _getter(field: models.Field, add: bool, now: datetime) -> Callable[[models.Model], Any]:
    if getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False)):
        # What pre_save does (Model.save()): set the time on the object; one time for the whole write.
        name = field.attname

        def stamp(obj: models.Model) -> datetime:
            setattr(obj, name, now)
            return now

        return stamp
    return operator.attrgetter(field.attname)


def _rows(objs: Sequence[models.Model], fields: list[models.Field], add: bool) -> list[list]:
    now = timezone.now()
    columns = [(_getter(f, add, now), converter(f)) for f in fields]
    return [[conv(get(obj)) for get, conv in columns] for obj in objs]


def insert(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """INSERT the objects (their primary keys are not read back)."""
    if objs:
        cols = _columns(model, fields)
        _insert_prepared(model, cols, _rows(objs, cols, True))


def insert_values(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """INSERT rows given as tuples of Python values (no model instances: for many small rows)."""
    if not rows:
        return
    cols = _columns(model, fields)
    convs = [converter(f) for f in cols]
    _insert_prepared(model, cols, [[c(v) for c, v in zip(convs, row, strict=True)] for row in rows])


def _insert_prepared(model: type[models.Model], cols: list[models.Field], rows: list[list]) -> None:
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
        cur.executemany(sql, [[*row, o.pk] for row, o in zip(_rows(objs, cols, False), objs, strict=True)])


@contextmanager
def sqlite_for_bulk_work() -> Iterator[None]:
    """Two SQLite settings for the length of a bulk run (an ingestion, a refresh of the market facts), restored
    after it:
    - no memory map: SQLite maps the database file into memory for fast searches (settings.py); a bulk run
      reads or writes most of the file, and mapped pages would count as the process's memory;
    - a WAL checkpoint every 100,000 pages (400 MB) instead of 10,000: each checkpoint copies again
      every page written since the last one (the index pages every time), and that was 7% of the
      time of a run; the checkpoint after the run copies each page once."""
    settings: dict[str, int] = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            for pragma, value in (("mmap_size", 0), ("wal_autocheckpoint", 100_000)):
                cur.execute(f"PRAGMA {pragma}")
                row = cur.fetchone()  # none for an in-memory database
                if row is not None:
                    settings[pragma] = int(row[0])
                    cur.execute(f"PRAGMA {pragma}={value}")
    try:
        yield
    finally:
        if settings:
            with connection.cursor() as cur:
                for pragma, value in settings.items():
                    cur.execute(f"PRAGMA {pragma}={value}")
