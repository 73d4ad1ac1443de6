"""A database state built once and restored into each test's transaction. `Snapshot.take(build, files)` runs
`build` in a transaction it rolls back, keeping the rows every table gained (tables must have been empty before,
apart from the full-text index's own bookkeeping) and the files written under `files`; `restore()` writes them
back in the current test's transaction and storage and returns what `build` returned, its model instances read
again; when the test already has rows where the snapshot's would go (it made a user before asking for the demo),
`restore` builds it again instead. Rows are copied as the database returns them: PostgreSQL's COPY in its own
text format, SQLite's values as stored; SQLite FTS5 tables are written through the virtual table (its shadow
tables are its business), and PostgreSQL's sequences are moved past the restored ids.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import storages
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

FTS5_SHADOW = re.compile(r"_(data|idx|content|docsize|config)$")


class SnapshotError(Exception):
    pass


@dataclass
class Snapshot:
    tables: dict[str, tuple[list[str], object]]  # table -> (columns, rows: a list of tuples or PostgreSQL COPY text)
    files: dict[str, bytes]
    result: object  # what build returned, model instances replaced by (model, pk)
    build: object

    @classmethod
    def take(cls, build, files_root: Path) -> Snapshot:
        with transaction.atomic():
            before = _counts()
            result = build()
            tables = {}
            for table, count in _counts().items():
                had = before.get(table, 0)  # a table the build made had nothing
                if count == had:
                    continue
                if _is_fts_shadow(table) or table.startswith("sqlite_stat"):  # SQLite's statistics (ANALYZE)
                    continue
                if had:
                    raise SnapshotError(f"{table} had rows before the build; a snapshot only copies new tables")
                tables[table] = _read(table)
            transaction.set_rollback(True)
        files = {str(p.relative_to(files_root)): p.read_bytes() for p in files_root.rglob("*") if p.is_file()}
        return cls(tables=tables, files=files, result=_freeze(result), build=build)

    def restore(self):
        try:
            self._write()
        except IntegrityError:
            return self.build()
        root = Path(storages["private"].location)
        for name, content in self.files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        return self.read()

    def read(self):
        """What `build` returned, its model instances read again from the database (once restored there)."""
        return _thaw(self.result)

    def _write(self) -> None:
        model_of = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
        with transaction.atomic():
            for table, (columns, rows) in self.tables.items():
                if table not in model_of:
                    # An index table outside the models (a full-text index): a transactional test's flush leaves
                    # its rows behind. The snapshot's keys (its first column) are written afresh.
                    _delete_keys(table, columns, rows)
                _write(table, columns, rows)
            if connection.vendor == "postgresql":
                touched = [model_of[table] for table in self.tables if table in model_of]
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), touched):
                        cursor.execute(sql)


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the database's catalogue)
            counts[table] = cursor.fetchone()[0]
        return counts


def _is_fts_shadow(table: str) -> bool:
    if connection.vendor != "sqlite" or not FTS5_SHADOW.search(table):
        return False
    return _is_virtual(FTS5_SHADOW.sub("", table))


def _is_virtual(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
        row = cursor.fetchone()
    return bool(row and row[0].upper().startswith("CREATE VIRTUAL TABLE"))


def _read(table: str):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                return [], b"".join(bytes(block) for block in copy)
        rowid = "rowid, " if _is_virtual(table) else ""
        cursor.execute(f'SELECT {rowid}* FROM "{table}"')  # noqa: S608 (names from the database's catalogue)
        columns = [c[0] for c in cursor.description]
        return columns, cursor.fetchall()


def _delete_keys(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608 (names from the database's catalogue)
            key = cursor.description[0][0]
            keys = [line.split(b"\t", 1)[0].decode() for line in rows.splitlines()]
            cursor.execute(f'DELETE FROM "{table}" WHERE "{key}"::text = ANY(%s)', [keys])  # noqa: S608 (names from the database's catalogue)
        else:
            cursor.executemany(f'DELETE FROM "{table}" WHERE "{columns[0]}" = %s', [(row[0],) for row in rows])  # noqa: S608 (names from the database's catalogue)


def _write(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(rows)
            return
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608 (names from the database's catalogue)


@dataclass(frozen=True)
class _Ref:
    model: type[models.Model]
    pk: object


def _freeze(value):
    return _each(value, lambda v: _Ref(type(v), v.pk) if isinstance(v, models.Model) else None)


def _thaw(value):
    return _each(value, lambda v: v.model._base_manager.get(pk=v.pk) if isinstance(v, _Ref) else None)


def _each(value, leaf):
    """`value` with each of its parts that `leaf` answers (not None) replaced by its answer, through dataclasses,
    dicts, lists and tuples."""
    if (changed := leaf(value)) is not None:
        return changed
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: _each(getattr(value, f.name), leaf) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        return {k: _each(v, leaf) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_each(v, leaf) for v in value)
    return value
