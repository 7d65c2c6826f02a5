"""Account use cases: sign-up, sign-in with JWT sessions, sign-out, passwords, profile edits."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import AuthSession, Profile, User, normalize_email
from certifications.models import Certification
from mindquest.common.exceptions import ConflictError, ForbiddenError, UnauthorizedError

logger = logging.getLogger(__name__)

INVALID_CREDENTIALS = "Invalid email or password"
INVALID_REFRESH = "Invalid or expired refresh token"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User
    session_id: uuid.UUID


# --- Users ----------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    email: str,
    username: str,
    password: str | None,
    is_staff: bool = False,
    is_superuser: bool = False,
    is_active: bool = True,
    selected_certification: Certification | None = None,
) -> User:
    """Create a user and their profile together: every user, admins included, has one."""
    user = User(
        email=normalize_email(email),
        username=username.strip(),
        is_staff=is_staff,
        is_superuser=is_superuser,
        is_active=is_active,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password", "last_login"], validate_unique=False, validate_constraints=False)
    return user_save_new(user=user, selected_certification=selected_certification)


@transaction.atomic
def user_save_new(*, user: User, selected_certification: Certification | None = None) -> User:
    """Save a new user together with their profile (also for users built by admin's add form)."""
    user.email = normalize_email(user.email)
    user.save()
    Profile.objects.create(user=user, selected_certification=selected_certification)
    return user


def _check_identity_free(*, email: str, username: str, exclude_pk: uuid.UUID | None = None) -> None:
    others = User.objects.exclude(pk=exclude_pk)
    if email and others.filter(email=normalize_email(email)).exists():
        raise ConflictError("Email already registered")
    if username and others.with_username(username).exists():
        raise ConflictError("Username already taken")


def password_rules_check(password: str, *, user: User, field: str = "password") -> None:
    """The password rules (AUTH_PASSWORD_VALIDATORS) for `user`, failures reported under `field`."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def user_register(
    *, email: str, username: str, password: str, selected_certification: Certification | None = None
) -> User:
    """Sign up a learner: checks the password rules, then that email and username are free."""
    password_rules_check(password, user=User(email=normalize_email(email), username=username))
    _check_identity_free(email=email, username=username)
    try:
        return user_create(
            email=email, username=username, password=password, selected_certification=selected_certification
        )
    except IntegrityError:
        # Lost a race with a simultaneous sign-up: report what the winner took.
        _check_identity_free(email=email, username=username)
        raise


@transaction.atomic
def user_password_change(
    *,
    user: User,
    current_password: str,
    new_password: str,
    keep_session_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> None:
    """Change the password after checking the current one, and end every other session."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": ["The current password is incorrect."]})
    if current_password == new_password:
        raise ValidationError({"new_password": ["The new password must differ from the current one."]})
    password_rules_check(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    auth_sessions_end(user=user, except_session_id=keep_session_id, now=now)


@transaction.atomic
def profile_update(
    *,
    user: User,
    username: str | None = None,
    selected_certification: Certification | None = None,
    clear_certification: bool = False,
) -> Profile:
    """Change the learner's username and/or selected certification."""
    profile = Profile.objects.select_for_update().select_related("user").get(user=user)
    if username is not None and username.strip() != profile.user.username:
        _check_identity_free(email="", username=username, exclude_pk=user.pk)
        profile.user.username = username.strip()
        profile.user.full_clean(
            exclude=["password", "last_login"], validate_unique=False, validate_constraints=False
        )
        try:
            with transaction.atomic():
                profile.user.save(update_fields=["username"])
        except IntegrityError:
            raise ConflictError("Username already taken") from None
    if selected_certification is not None or clear_certification:
        profile.selected_certification = selected_certification
        profile.save(update_fields=["selected_certification", "updated_at"])
    return profile


# --- API sessions and tokens ----------------------------------------------------------------------


def _issue_tokens(*, session: AuthSession) -> TokenPair:
    refresh = RefreshToken.for_user(session.user)  # also records it as outstanding
    refresh["sid"] = str(session.id)
    access = refresh.access_token  # copies user_id and sid
    # No token outlives the session it belongs to.
    session_end = int(session.expires_at.timestamp())
    for token in (refresh, access):
        if token["exp"] > session_end:
            token["exp"] = session_end
    return TokenPair(
        access_token=str(access),
        refresh_token=str(refresh),
        # From the tokens' own issue time: simplejwt reads the clock itself, a moment after the
        # caller did, so counting from the caller's `now` came out a second long now and then.
        expires_in=max(0, access["exp"] - refresh["iat"]),
        user=session.user,
        session_id=session.id,
    )


@transaction.atomic
def auth_session_start(*, user: User, now: datetime | None = None) -> TokenPair:
    """Open an API session for a user whose identity is already established."""
    now = now or timezone.now()
    session = AuthSession.objects.create(
        user=user, created_at=now, expires_at=now + settings.AUTH_SESSION_MAX_AGE
    )
    return _issue_tokens(session=session)


def auth_login(*, login: str, password: str, now: datetime | None = None) -> TokenPair:
    """Sign in with email or username. Wrong credentials never reveal which part was wrong."""
    user = User.objects.get_by_login(login)
    if user is None:
        User().set_password(password)  # spend the same time as a real check
        logger.info("login failed: unknown account")
        raise UnauthorizedError(INVALID_CREDENTIALS)
    if not user.check_password(password):
        logger.info("login failed: wrong password for user %s", user.pk)
        raise UnauthorizedError(INVALID_CREDENTIALS)
    if not user.is_active:
        logger.info("login refused: inactive user %s", user.pk)
        raise ForbiddenError("User account is inactive")
    logger.info("login succeeded for user %s", user.pk)
    return auth_session_start(user=user, now=now)


class _RotatableRefreshToken(RefreshToken):
    """Signature, expiry and type are verified; whether it was already used is decided by the
    rotation itself, which must tell a reused token from a forged one."""

    def check_blacklist(self) -> None:
        pass


def _verified_refresh(raw_token: str) -> RefreshToken:
    try:
        token = _RotatableRefreshToken(raw_token, verify=True)
        uuid.UUID(str(token.get("sid")))
    except (TokenError, ValueError):
        raise UnauthorizedError(INVALID_REFRESH) from None
    return token


def auth_refresh(*, refresh_token: str, now: datetime | None = None) -> TokenPair:
    """Rotate a refresh token: the old one is blacklisted and a new pair is issued.

    A refresh token presented a second time has been copied: its whole session is ended."""
    now = now or timezone.now()
    token = _verified_refresh(refresh_token)
    reused = False
    with transaction.atomic():
        session = (
            AuthSession.objects.select_for_update()
            .select_related("user")
            .filter(pk=token.get("sid"), user_id=token.get(jwt_settings.USER_ID_CLAIM))
            .first()
        )
        if session is None or session.revoked_at or session.expires_at <= now or not session.user.is_active:
            raise UnauthorizedError(INVALID_REFRESH)
        outstanding, _ = OutstandingToken.objects.get_or_create(
            jti=token["jti"],
            defaults={"user": session.user, "token": refresh_token, "expires_at": session.expires_at},
        )
        _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
        if created:
            return _issue_tokens(session=session)
        session.revoked_at = now
        session.save(update_fields=["revoked_at"])
        reused = True
    if reused:
        logger.warning("refresh token reused; ended session %s of user %s", session.pk, session.user_id)
    raise UnauthorizedError(INVALID_REFRESH)


@transaction.atomic
def auth_logout(
    *, user: User, session_id: uuid.UUID | str, refresh_token: str | None = None, now: datetime | None = None
) -> None:
    """End this API session (its access token stops working now) and blacklist the refresh token."""
    now = now or timezone.now()
    ended = [session_id]
    if refresh_token:
        try:
            token = RefreshToken(refresh_token, verify=True)
        except TokenError:
            token = None  # already unusable: nothing to blacklist
        if token is not None and token.get(jwt_settings.USER_ID_CLAIM) == str(user.pk):
            token.blacklist()
            ended.append(token.get("sid"))
    AuthSession.objects.filter(user=user, pk__in=[s for s in ended if s], revoked_at=None).update(
        revoked_at=now
    )


def auth_sessions_end(
    *, user: User, except_session_id: uuid.UUID | None = None, now: datetime | None = None
) -> int:
    """End every API session of a user (but one, if given). Returns how many were ended."""
    sessions = AuthSession.objects.filter(user=user, revoked_at=None)
    if except_session_id:
        sessions = sessions.exclude(pk=except_session_id)
    return sessions.update(revoked_at=now or timezone.now())
