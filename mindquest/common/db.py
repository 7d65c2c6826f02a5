"""Hand-written SQL for the few statements on the busiest paths, and what keeps it safe.

The ORM builds every statement anew on each call; for authentication, the adaptive state, picking
a quiz's questions and grading it, that cost more than running them. There the SQL is written
once, with names quoted from the models' metadata and every value passed as a parameter, and each
helper works on PostgreSQL (production) and SQLite (development)."""

import functools
from collections.abc import Sequence

from django.db import connection, models

# Names depend only on the model and the database vendor (one per process), so each is worked out
# once.


@functools.cache
def table(model: type[models.Model]) -> str:
    """The model's table, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def column(model: type[models.Model], field_name: str, *, qualified: bool = True) -> str:
    """A field's column, quoted and (unless `qualified` is False, as SET needs) with its table."""
    name = connection.ops.quote_name(model._meta.get_field(field_name).column)
    return f"{table(model)}.{name}" if qualified else name


def execute(sql: str, params: Sequence = ()) -> int:
    """Run one statement; returns how many rows it changed."""
    with connection.cursor() as cursor:
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
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not isinstance(field, models.AutoField)]
    quote = connection.ops.quote_name
    params = [
        field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields
    ]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES {', '.join([placeholders] * len(rows))}"
    )
    if unique:
        targets = ", ".join(quote(meta.get_field(name).column) for name in unique)
        changes = ", ".join(
            f"{quote(name)} = excluded.{quote(name)}" for name in (meta.get_field(f).column for f in update)
        )
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {changes}"
    execute(sql, params)
    for row in rows:  # saved, as bulk_create leaves them
        row._state.adding, row._state.db = False, connection.alias


def update_rows(model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save `fields` of these existing rows, each with its own values.

    One query either way. On PostgreSQL an UPDATE … FROM (VALUES …), far cheaper than
    QuerySet.bulk_update, whose CASE expressions cost more to build than the query costs to run;
    elsewhere (SQLite, in development) bulk_update itself."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(rows, list(fields))
        return
    meta, quote, name = model._meta, connection.ops.quote_name, table(model)
    changed = [meta.get_field(field_name) for field_name in fields]
    keyed = [meta.pk, *changed]
    row_sql = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in keyed) + ")"
    params = [
        field.get_db_prep_value(getattr(row, field.attname), connection) for row in rows for field in keyed
    ]
    aliases = [quote(f"v_{field.column}") for field in keyed]
    execute(
        f"UPDATE {name} SET "
        + ", ".join(f"{quote(f.column)} = v.{alias}" for f, alias in zip(changed, aliases[1:], strict=True))
        + f" FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({', '.join(aliases)})"
        + f" WHERE {name}.{quote(meta.pk.column)} = v.{aliases[0]}",
        params,
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


Selected = type[models.Model] | tuple[type[models.Model], tuple[str, ...]]


def fetch_models(sql: str, params: Sequence, selected: Sequence[Selected], *, extra: int = 0) -> list[tuple]:
    """Run `sql`, whose select list is `select_list(model)` for each model in turn (or, for a
    `(model, defer)` pair, `select_list(model, defer=defer)`: those fields are left deferred, as
    the ORM's defer() leaves them), then `extra` plain columns, and build one instance of each per
    row, with the database's converters applied as the ORM would. A model whose primary key is NULL
    in a row (an outer join that matched nothing) comes back as None; one whose row repeats the
    previous row's (the "one" side of a join) is the same instance; the extra columns come back as
    they are."""
    layouts = []
    for item in selected:
        model, defer = item if isinstance(item, tuple) else (item, ())
        layouts.append((model, *_layout(model, defer)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results: list[tuple] = []
    previous: list = [None] * len(layouts)
    for row in rows:
        instances, start = [], 0
        for position, (model, names, converters, pk_index) in enumerate(layouts):
            values = row[start : start + len(names)]
            start += len(names)
            last = previous[position]
            if values[pk_index] is None:
                instance = None
            elif last is not None and last.pk == values[pk_index]:
                instance = last
            else:
                values = list(values)
                for index, col, found in converters:
                    for converter in found:
                        values[index] = converter(values[index], col, connection)
                instance = model.from_db(connection.alias, names, values)
            previous[position] = instance
            instances.append(instance)
        results.append((*instances, *row[start : start + extra]))
    return results


def db_value(model: type[models.Model], field_name: str, value: object) -> object:
    """`value` as a parameter for `field_name`'s column (a UUID as text on SQLite, and so on)."""
    return model._meta.get_field(field_name).get_db_prep_value(value, connection)
