import functools
import uuid

from django.db import connection
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import AuthSession, Profile, User
from mindquest.common.db import db_value, fetch_models, select_list


@functools.cache
def _live_session_sql() -> str:
    """The user, with their profile, of a live session of an active user. Written once: every
    authenticated request runs it, and building it with the ORM each time cost more than running it."""
    quote = connection.ops.quote_name
    session, user, profile = (quote(model._meta.db_table) for model in (AuthSession, User, Profile))
    return (
        f"SELECT {select_list(User)}, {select_list(Profile)} FROM {session}"
        f" INNER JOIN {user} ON {session}.{quote('user_id')} = {user}.{quote('id')}"
        f" LEFT OUTER JOIN {profile} ON {profile}.{quote('user_id')} = {user}.{quote('id')}"
        f" WHERE {session}.{quote('id')} = %s AND {session}.{quote('user_id')} = %s"
        f" AND {session}.{quote('revoked_at')} IS NULL AND {session}.{quote('expires_at')} > %s"
        f" AND {user}.{quote('is_active')}"
    )


class SessionTokenAuthentication(JWTAuthentication):
    """Bearer JWTs that belong to a live session of an active user.

    One query checks the user and the session together, so a logout, a password change or a
    deactivation stops the access token at once instead of when it expires. It brings the
    learner's profile along, which most requests need."""

    def get_user(self, validated_token: Token) -> User:
        try:
            user_id = uuid.UUID(str(validated_token[api_settings.USER_ID_CLAIM]))
            session_id = uuid.UUID(str(validated_token["sid"]))
        except (KeyError, ValueError):
            raise InvalidToken("Token contained no recognizable user identification") from None
        params = [
            db_value(AuthSession, "id", session_id),
            db_value(AuthSession, "user", user_id),
            db_value(AuthSession, "expires_at", timezone.now()),
        ]
        found = fetch_models(_live_session_sql(), params, [User, Profile])
        if not found:
            raise AuthenticationFailed("Your session has ended; please sign in again", code="session_ended")
        user, profile = found[0]
        if profile is not None:
            user.profile = profile
        return user
