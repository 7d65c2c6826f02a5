import uuid

from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from accounts.selectors import user_of_live_session


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
        user = user_of_live_session(user_id=user_id, session_id=session_id, now=timezone.now())
        if user is None:
            raise AuthenticationFailed("Your session has ended; please sign in again", code="session_ended")
        return user
