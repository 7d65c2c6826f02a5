"""Small database helpers for hot paths."""

from collections.abc import Sequence

from django.db import connection, models


def update_rows(model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save `fields` of these existing rows, each with its own values.

    One query either way. On PostgreSQL an UPDATE … FROM (VALUES …), far cheaper than
    QuerySet.bulk_update, whose CASE expressions cost more to build than the query costs to run;
    elsewhere (SQLite, in development) bulk_update itself."""
    if not rows:
        return
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(rows, list(fields))
        return
    quote = connection.ops.quote_name
    columns = [meta.pk, *targets]
    row_sql = "(" + ", ".join(f"%s::{column.cast_db_type(connection)}" for column in columns) + ")"
    params = [
        column.get_db_prep_value(getattr(row, column.attname), connection)
        for row in rows
        for column in columns
    ]
    table = quote(meta.db_table)
    aliases = [quote(f"v_{column.column}") for column in columns]
    # Only quoted identifiers from the model's metadata and %s placeholders go into the text.
    sql = (
        f"UPDATE {table} SET "
        + ", ".join(f"{quote(f.column)} = v.{alias}" for f, alias in zip(targets, aliases[1:], strict=True))
        + f" FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({', '.join(aliases)})"
        + f" WHERE {table}.{quote(meta.pk.column)} = v.{aliases[0]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def select_list(model: type[models.Model]) -> str:
    """The model's concrete columns, table-qualified and quoted, in field order: the select list
    that `fetch_models` reads back."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    return ", ".join(f"{table}.{quote(field.column)}" for field in model._meta.concrete_fields)


def fetch_models(
    sql: str, params: Sequence, model_classes: Sequence[type[models.Model]]
) -> list[tuple[models.Model | None, ...]]:
    """Run `sql`, whose select list is `select_list(model)` for each model in turn, and build one
    instance of each per row, with the database's converters applied as the ORM would. A model
    whose primary key is NULL in a row (an outer join that matched nothing) comes back as None.

    For the few statements on every request, written once, where building them with the ORM on each
    call cost more than running them."""
    layout = []
    for model in model_classes:
        fields = model._meta.concrete_fields
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((index, column, found))
        pk_index = next(i for i, field in enumerate(fields) if field.primary_key)
        layout.append((model, [field.attname for field in fields], converters, pk_index))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = []
    for row in rows:
        instances, start = [], 0
        for model, names, converters, pk_index in layout:
            values = list(row[start : start + len(names)])
            start += len(names)
            if values[pk_index] is None:
                instances.append(None)
                continue
            for index, column, found in converters:
                for converter in found:
                    values[index] = converter(values[index], column, connection)
            instances.append(model.from_db(connection.alias, names, values))
        results.append(tuple(instances))
    return results


def db_value(model: type[models.Model], field_name: str, value: object) -> object:
    """`value` as a parameter for `field_name`'s column (a UUID as text on SQLite, and so on)."""
    return model._meta.get_field(field_name).get_db_prep_value(value, connection)
