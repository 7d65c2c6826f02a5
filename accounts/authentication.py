import uuid

from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from accounts.selectors import user_of_live_session

# The header's scheme, as configured, keyed by its lowercase spelling: HTTP compares schemes without
# regard to case (RFC 9110, 11.1), and the token response itself calls the type "bearer".
SCHEMES = {scheme.lower().encode(): scheme.encode() for scheme in api_settings.AUTH_HEADER_TYPES}


class SessionTokenAuthentication(JWTAuthentication):
    """Bearer JWTs that belong to a live session of an active user.

    One query checks the user and the session together, so a logout, a password change or a
    deactivation stops the access token at once instead of when it expires. It brings the
    learner's profile along, which most requests need."""

    def get_raw_token(self, header: bytes) -> bytes | None:
        parts = header.split()
        if parts and parts[0].lower() in SCHEMES:
            parts[0] = SCHEMES[parts[0].lower()]
        return super().get_raw_token(b" ".join(parts))

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
