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
