from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import AuthSession, User


class SessionTokenAuthentication(JWTAuthentication):
    """Bearer JWTs that belong to a live session of an active user.

    One query checks the user and the session together, so a logout, a password change or a
    deactivation stops the access token at once instead of when it expires."""

    def get_user(self, validated_token: Token) -> User:
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
            session_id = validated_token["sid"]
        except KeyError:
            raise InvalidToken("Token contained no recognizable user identification") from None
        try:
            session = (
                AuthSession.objects.select_related("user")
                .filter(
                    pk=session_id,
                    user_id=user_id,
                    revoked_at__isnull=True,
                    expires_at__gt=timezone.now(),
                    user__is_active=True,
                )
                .first()
            )
        except (ValidationError, ValueError):
            raise InvalidToken("Token contained no recognizable user identification") from None
        if session is None:
            raise AuthenticationFailed("Your session has ended; please sign in again", code="session_ended")
        return session.user
