import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from accounts.selectors import live_session_read, user_from
from mindquest.common.db import Read, fetch_together

# The header's scheme, as configured, keyed by its lowercase spelling: HTTP compares schemes without
# regard to case (RFC 9110, 11.1), and the token response itself calls the type "bearer".
SCHEMES = {scheme.lower().encode(): scheme.encode() for scheme in api_settings.AUTH_HEADER_TYPES}


@dataclass
class SessionCheck:
    """Whether a token's session is live: not revoked, not expired, its user active. Run on its
    own (`user()`), or sent with a use case's first reads (`fetch_with_session`), so that the
    request waits once for both instead of twice."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    now: datetime
    rows: list[tuple] | None = None  # the read's rows, once it has run

    @classmethod
    def of(cls, token: Token) -> "SessionCheck":
        try:
            user_id = uuid.UUID(str(token[api_settings.USER_ID_CLAIM]))
            session_id = uuid.UUID(str(token["sid"]))
        except (KeyError, ValueError):
            raise InvalidToken("Token contained no recognizable user identification") from None
        return cls(user_id=user_id, session_id=session_id, now=timezone.now())

    def read(self) -> Read:
        return live_session_read(user_id=self.user_id, session_id=self.session_id, now=self.now)

    def passed(self, rows: list[tuple]) -> User:
        """The user, from the rows `read()` brought back with the view's reads."""
        self.rows = rows
        return self.user()

    def user(self) -> User:
        """The live session's user, with their profile (read now if the check has not run yet);
        AuthenticationFailed if the session has ended."""
        if self.rows is None:
            self.rows = fetch_together(self.read())[0]
        user = user_from(self.rows)
        if user is None:
            raise AuthenticationFailed("Your session has ended; please sign in again", code="session_ended")
        return user


def fetch_with_session(
    session: SessionCheck | None, learner: User, *reads: Read
) -> tuple[User, list[list[tuple]]]:
    """`fetch_together(*reads)`, with the session's check sent first in the same wait when there is
    one: then the learner (the token's user, by id) is replaced by the check's user, or
    AuthenticationFailed is raised before any of the rows is used."""
    if session is None:
        return learner, fetch_together(*reads)
    session_rows, *rows = fetch_together(session.read(), *reads)
    return session.passed(session_rows), rows


class SessionTokenAuthentication(JWTAuthentication):
    """Bearer JWTs that belong to a live session of an active user.

    One query checks the user and the session together, so a logout, a password change or a
    deactivation stops the access token at once instead of when it expires. It brings the
    learner's profile along, which most requests need.

    A view may check the session with its own first reads instead (`with_reads=True`, from its
    `get_authenticators()`): then `request.auth` is the token's `SessionCheck`, not yet run, and
    `request.user` the token's user with nothing but the id loaded (the signature vouches for
    that much) until the view has the check's user. Such a view must run the check before
    anything it reads leaves the transaction or reaches the response, and on its own (`user()`)
    if it ends before its reads, so that an ended session answers 401 first, whatever else is
    wrong with the request."""

    def __init__(self, *, with_reads: bool = False):
        super().__init__()
        self.with_reads = with_reads

    def authenticate(self, request: Request) -> tuple[User, Token | SessionCheck] | None:
        if not self.with_reads:
            return super().authenticate(request)
        header = self.get_header(request)
        raw_token = None if header is None else self.get_raw_token(header)
        if raw_token is None:
            return None
        check = SessionCheck.of(self.get_validated_token(raw_token))
        return User.from_db(DEFAULT_DB_ALIAS, ["id"], [check.user_id]), check

    def get_raw_token(self, header: bytes) -> bytes | None:
        parts = header.split()
        if parts and parts[0].lower() in SCHEMES:
            parts[0] = SCHEMES[parts[0].lower()]
        return super().get_raw_token(b" ".join(parts))

    def get_user(self, validated_token: Token) -> User:
        return SessionCheck.of(validated_token).user()
