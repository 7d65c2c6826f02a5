"""Reads of accounts. Every authenticated request loads its user here, with the profile most
requests need, in one written-out statement: building it with the ORM each time cost more than
running it."""

import functools
import uuid
from datetime import datetime

from accounts.models import AuthSession, Profile, User
from mindquest.common.db import Read, column, db_value, fetch_models, select_list, table


@functools.cache
def _user_with_profile_sql(*, of_live_session: bool) -> str:
    sql = (
        f"SELECT {select_list(User)}, {select_list(Profile)} FROM {table(User)}"
        f" LEFT OUTER JOIN {table(Profile)} ON {column(Profile, 'user')} = {column(User, 'id')}"
    )
    if not of_live_session:
        return sql + f" WHERE {column(User, 'id')} = %s"
    return (
        sql + f" INNER JOIN {table(AuthSession)} ON {column(AuthSession, 'user')} = {column(User, 'id')}"
        f" WHERE {column(AuthSession, 'id')} = %s AND {column(AuthSession, 'user')} = %s"
        f" AND {column(AuthSession, 'revoked_at')} IS NULL AND {column(AuthSession, 'expires_at')} > %s"
        f" AND {column(User, 'is_active')}"
    )


def user_from(rows: list[tuple]) -> User | None:
    """The user, with their profile, from the rows of `live_session_read` (or of `user_get`'s
    statement); None when there are none."""
    if not rows:
        return None
    user, profile = rows[0]
    if profile is not None:
        user.profile = profile
    return user


def user_get(*, user_id: uuid.UUID) -> User | None:
    """The user (active or not), with their profile; None when there is none."""
    sql = _user_with_profile_sql(of_live_session=False)
    return user_from(fetch_models(sql, [db_value(User, "id", user_id)], [User, Profile]))


def live_session_read(*, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> Read:
    """The read of the active user, with their profile, whose session `session_id` is neither
    revoked nor expired at `now`: run on its own or with others (`fetch_together`), and made
    the user, or None, by `user_from`."""
    return Read(
        _user_with_profile_sql(of_live_session=True),
        [
            db_value(AuthSession, "id", session_id),
            db_value(AuthSession, "user", user_id),
            db_value(AuthSession, "expires_at", now),
        ],
        [User, Profile],
    )
