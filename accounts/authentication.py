import uuid

from django.db import connection
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import AuthSession, User


def _live_session_sql() -> str:
    """The user of a live session of an active user. Written once: every authenticated request runs
    it, and building it with the ORM each time cost more than running it."""
    quote = connection.ops.quote_name
    user, session = quote(User._meta.db_table), quote(AuthSession._meta.db_table)
    columns = ", ".join(f"{user}.{quote(field.column)}" for field in User._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {session} INNER JOIN {user} ON {session}.{quote('user_id')} = {user}.{quote('id')}"
        f" WHERE {session}.{quote('id')} = %s AND {session}.{quote('user_id')} = %s"
        f" AND {session}.{quote('revoked_at')} IS NULL AND {session}.{quote('expires_at')} > %s"
        f" AND {user}.{quote('is_active')}"
    )


class SessionTokenAuthentication(JWTAuthentication):
    """Bearer JWTs that belong to a live session of an active user.

    One query checks the user and the session together, so a logout, a password change or a
    deactivation stops the access token at once instead of when it expires."""

    _sql: str | None = None

    def get_user(self, validated_token: Token) -> User:
        try:
            user_id = uuid.UUID(str(validated_token[api_settings.USER_ID_CLAIM]))
            session_id = uuid.UUID(str(validated_token["sid"]))
        except (KeyError, ValueError):
            raise InvalidToken("Token contained no recognizable user identification") from None
        if SessionTokenAuthentication._sql is None:
            SessionTokenAuthentication._sql = _live_session_sql()
        prepare = User._meta.pk.get_db_prep_value
        params = [
            AuthSession._meta.pk.get_db_prep_value(session_id, connection),
            prepare(user_id, connection),
            AuthSession._meta.get_field("expires_at").get_db_prep_value(timezone.now(), connection),
        ]
        user = next(iter(User.objects.raw(SessionTokenAuthentication._sql, params)), None)
        if user is None:
            raise AuthenticationFailed("Your session has ended; please sign in again", code="session_ended")
        return user
