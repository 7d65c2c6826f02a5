"""Hand-written SQL for the few statements on the busiest paths, and what keeps it safe.

The ORM builds every statement anew on each call; for authentication, the adaptive state, picking
a quiz's questions and grading it, that cost more than running them. There the SQL is written
once, with names quoted from the models' metadata and every value passed as a parameter, and each
helper works on PostgreSQL (production) and SQLite (development)."""

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Names depend only on the model and the database vendor (one per process), so each is worked out
# once.


def _connection():
    """This thread's connection itself. `django.db.connection` is a proxy that looks the
    connection up on every attribute read; field methods handed the proxy read it a few times
    per value."""
    return connections[DEFAULT_DB_ALIAS]


@functools.cache
def table(model: type[models.Model]) -> str:
    """The model's table, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def column(model: type[models.Model], field_name: str, *, qualified: bool = True) -> str:
    """A field's column, quoted and (unless `qualified` is False, as SET needs) with its table."""
    name = connection.ops.quote_name(model._meta.get_field(field_name).column)
    return f"{table(model)}.{name}" if qualified else name


@contextmanager
def atomic_pipeline() -> Iterator[None]:
    """transaction.atomic(), with its statements sent without waiting for each one's reply
    (PostgreSQL's pipeline mode, through psycopg): a run of writes costs no wait until something
    needs an answer (a read, a row count), and the COMMIT goes out with the last of them, so that a
    transaction of reads then writes waits twice, once for the reads and once at the end (BEGIN
    and COMMIT cost no wait of their own, thanks to the project's database backend,
    mindquest.common.postgresql). An error comes out at the next wait, still inside the
    transaction, which rolls back as usual; so inside, a write must not expect to catch its own
    IntegrityError (upsert instead). Pipelined only as the outermost transaction: inside another
    one, an error could surface after an inner block had already released its savepoint. There,
    and on SQLite (in development), it is transaction.atomic() alone."""
    db = _connection()
    if db.vendor != "postgresql" or db.in_atomic_block:
        with transaction.atomic():
            yield
        return
    with transaction.atomic(), _pipeline_mode(db, when=True):
        yield
        db.commit_in_pipeline()  # leaving the pipeline waits for it with the writes


@contextmanager
def _pipeline_mode(db, *, when: bool) -> Iterator[None]:
    """psycopg's pipeline mode on `db` if `when`; leaving it waits for every reply."""
    if not when:
        yield
        return
    db.ensure_connection()
    # An error raised by the last wait (outside any cursor) comes out as Django's, like the rest.
    with db.wrap_database_errors, db.connection.pipeline():
        yield


def execute(sql: str, params: Sequence = ()) -> None:
    """Run one statement (in a pipeline, without waiting for it)."""
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)


def execute_counted(sql: str, params: Sequence = ()) -> int:
    """Run one statement and return how many rows it changed (in a pipeline, that waits for the
    replies so far)."""
    db = _connection()
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and db.connection.pgconn.pipeline_status:
            with db.connection.pipeline():  # leaving a nested block waits for the replies
                cursor.execute(sql, params)
        else:
            cursor.execute(sql, params)
        return cursor.rowcount


def insert_rows(
    model: type[models.Model],
    rows: Sequence[models.Model],
    *,
    unique: Sequence[str] = (),
    update: Sequence[str] = (),
) -> None:
    """Insert these new rows in one statement (auto_now fields set, as save() would). With
    `unique` field names, a row colliding with an existing one on them updates that one's
    `update` fields instead: an upsert."""
    if not rows:
        return
    params = [value for values in insert_values(model, rows) for value in values]
    execute(_insert_sql(model, len(rows), tuple(unique), tuple(update)), params)
    mark_saved(rows)


@functools.cache
def insert_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields an INSERT of `model` names, in the order `insert_values` gives their values."""
    return [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]


def insert_values(model: type[models.Model], rows: Sequence[models.Model]) -> list[list]:
    """Each new row's values for an INSERT, in `insert_fields` order (auto_now fields set, as save()
    would)."""
    db = _connection()
    fields = insert_fields(model)
    return [[field.get_db_prep_save(field.pre_save(row, True), db) for field in fields] for row in rows]


def mark_saved(rows: Sequence[models.Model]) -> None:
    """Rows just inserted, marked saved as bulk_create leaves them."""
    alias = _connection().alias
    for row in rows:
        row._state.adding, row._state.db = False, alias


@functools.cache
def _insert_sql(
    model: type[models.Model], count: int, unique: tuple[str, ...], update: tuple[str, ...]
) -> str:
    meta, quote = model._meta, connection.ops.quote_name
    fields = insert_fields(model)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES {', '.join([placeholders] * count)}"
    )
    if unique:
        targets = ", ".join(quote(meta.get_field(name).column) for name in unique)
        changes = ", ".join(
            f"{quote(name)} = excluded.{quote(name)}" for name in (meta.get_field(f).column for f in update)
        )
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {changes}"
    return sql


def update_rows(model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save `fields` of these existing rows, each with its own values.

    One query either way. On PostgreSQL an UPDATE … FROM (VALUES …), far cheaper than
    QuerySet.bulk_update, whose CASE expressions cost more to build than the query costs to run;
    elsewhere (SQLite, in development) bulk_update itself."""
    if not rows:
        return
    db = _connection()
    if db.vendor != "postgresql":
        model._base_manager.bulk_update(rows, list(fields))
        return
    keyed = _update_fields(model, tuple(fields))
    params = [field.get_db_prep_value(getattr(row, field.attname), db) for row in rows for field in keyed]
    execute(_update_sql(model, tuple(fields), len(rows)), params)


@functools.cache
def _update_fields(model: type[models.Model], fields: tuple[str, ...]) -> list[models.Field]:
    """The primary key, then `fields`."""
    return [model._meta.pk, *(model._meta.get_field(field_name) for field_name in fields)]


def cast_type(field: models.Field) -> str:
    """The type to cast a parameter for `field`'s column to where nothing else tells PostgreSQL
    its type (a VALUES list, a SELECT list): the column's own, but text for a string, because an
    explicit cast to varchar(n) cuts a longer value short without a word; as text, a value too long
    for its column fails when assigned, as in a plain INSERT or UPDATE."""
    db_type = field.cast_db_type(connection)
    return "text" if db_type.startswith("varchar") else db_type


@functools.cache
def _update_sql(model: type[models.Model], fields: tuple[str, ...], count: int) -> str:
    quote, name = connection.ops.quote_name, table(model)
    keyed = _update_fields(model, fields)
    row_sql = "(" + ", ".join(f"%s::{cast_type(field)}" for field in keyed) + ")"
    aliases = [quote(f"v_{field.column}") for field in keyed]
    return (
        f"UPDATE {name} SET "
        + ", ".join(f"{quote(f.column)} = v.{alias}" for f, alias in zip(keyed[1:], aliases[1:], strict=True))
        + f" FROM (VALUES {', '.join([row_sql] * count)}) AS v({', '.join(aliases)})"
        + f" WHERE {name}.{quote(keyed[0].column)} = v.{aliases[0]}"
    )


def _fields(model: type[models.Model], defer: tuple[str, ...]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.name not in defer]


@functools.cache
def select_list(model: type[models.Model], *, defer: tuple[str, ...] = ()) -> str:
    """The model's concrete columns but `defer`'s, table-qualified and quoted, in field order: the
    select list that `fetch_models` reads back."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    return ", ".join(f"{table}.{quote(field.column)}" for field in _fields(model, defer))


@functools.cache
def _layout(model: type[models.Model], defer: tuple[str, ...]) -> tuple[list[str], list[tuple], int]:
    """How to build `model` from its select_list columns: attribute names, the converters of the
    columns that have any, and the primary key's position."""
    fields = _fields(model, defer)
    converters = []
    for index, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, col, found))
    pk_index = next(i for i, field in enumerate(fields) if field.primary_key)
    return [field.attname for field in fields], converters, pk_index


def _build(model: type[models.Model], layout: tuple, values: Sequence, db) -> models.Model:
    names, converters, _ = layout
    values = list(values)
    for index, col, found in converters:
        for converter in found:
            values[index] = converter(values[index], col, db)
    if not _plain(model):
        return model.from_db(db.alias, names, values)
    # What Model.from_db makes of the row, without Model.__init__'s work for each field and its two
    # signals, none of which has anything to do for such a model: twice as fast.
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    instance._state = state = ModelState()
    state.adding, state.db = False, db.alias
    return instance


@functools.cache
def _plain(model: type[models.Model]) -> bool:
    """Whether building `model` is nothing but setting its fields' values: Django's own __init__,
    no receiver of pre_init or post_init for it, and no field whose attribute does more when set
    than store the value (a file field's does, a foreign key's only forgets a related object that a
    new instance has not got). Worked out once per process, after the apps are ready."""
    plain_attributes = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return (
        model.__init__ is models.Model.__init__
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(
            type(getattr(model, field.attname)) in plain_attributes for field in model._meta.concrete_fields
        )
    )


class Unbuilt:
    """A model's columns from one row, made into an instance only when `build()` is called: for
    reading many candidate rows to keep a few (building and decoding each costs more than
    reading it)."""

    __slots__ = ("_db", "_layout", "_model", "_values")

    def __init__(self, model: type[models.Model], layout: tuple, values: Sequence, db):
        self._model, self._layout, self._values, self._db = model, layout, values, db

    def value(self, attname: str) -> object:
        """One column, converted as the instance would hold it."""
        names, converters, _ = self._layout
        index = names.index(attname)
        value = self._values[index]
        for position, col, found in converters:
            if position == index:
                for converter in found:
                    value = converter(value, col, self._db)
        return value

    def build(self) -> models.Model:
        return _build(self._model, self._layout, self._values, self._db)


Selected = type[models.Model] | tuple[type[models.Model], tuple[str, ...]]


@dataclass(frozen=True)
class Read:
    """One statement for `fetch_together`: its select list is `select_list(model)` for each model
    in `selected` in turn (or, for a `(model, defer)` pair, `select_list(model, defer=defer)`),
    then `extra` plain columns. With `unbuilt`, each model comes back as an `Unbuilt`."""

    sql: str
    params: Sequence
    selected: Sequence[Selected] = ()
    extra: int = 0
    unbuilt: bool = False


def fetch_together(*reads: Read) -> list[list[tuple]]:
    """Run the reads and return each one's rows, with one instance of each selected model per row
    built as the ORM would (the database's converters applied; deferred fields left deferred). A
    model whose primary key is NULL in a row (an outer join that matched nothing) comes back as
    None; one whose row repeats the previous row's (the "one" side of a join) is the same instance;
    the extra columns come back as they are. On PostgreSQL all are sent before any reply is read,
    in a pipeline (the caller's, or one of their own), so their replies come back in one wait
    instead of one each."""
    db = _connection()
    cursors = [db.cursor() for _ in reads]
    try:
        # Several reads, and no pipeline open yet: one of their own.
        together = len(reads) > 1 and db.vendor == "postgresql" and not db.connection.pgconn.pipeline_status
        with _pipeline_mode(db, when=together):
            for read, cursor in zip(reads, cursors, strict=True):
                cursor.execute(read.sql, read.params)
        return [_rows(read, cursor.fetchall(), db) for read, cursor in zip(reads, cursors, strict=True)]
    finally:
        for cursor in cursors:
            cursor.close()


def fetch_models(
    sql: str, params: Sequence, selected: Sequence[Selected], *, extra: int = 0, unbuilt: bool = False
) -> list[tuple]:
    """One read's rows, as `fetch_together` returns them."""
    return fetch_together(Read(sql, params, selected, extra, unbuilt))[0]


def _rows(read: Read, rows: list[tuple], db) -> list[tuple]:
    layouts = []
    for item in read.selected:
        model, defer = item if isinstance(item, tuple) else (item, ())
        layouts.append((model, _layout(model, defer)))
    results: list[tuple] = []
    previous: list = [(None, None)] * len(layouts)  # (raw primary key, instance) per model
    for row in rows:
        instances, start = [], 0
        for position, (model, layout) in enumerate(layouts):
            names, _, pk_index = layout
            values = row[start : start + len(names)]
            start += len(names)
            pk = values[pk_index]
            if pk is None:
                instance = None
            elif read.unbuilt:
                instance = Unbuilt(model, layout, values, db)
            elif previous[position][0] == pk:
                instance = previous[position][1]
            else:
                instance = _build(model, layout, values, db)
            previous[position] = (pk, instance)
            instances.append(instance)
        results.append((*instances, *row[start : start + read.extra]))
    return results


def db_value(model: type[models.Model], field_name: str, value: object) -> object:
    """`value` as a parameter for `field_name`'s column (a UUID as text on SQLite, and so on)."""
    return model._meta.get_field(field_name).get_db_prep_value(value, _connection())
