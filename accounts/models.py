import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.validators import USERNAME_PATTERN, username_validator
from certifications.models import Certification


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively everywhere, so they are stored in lowercase."""
    return email.strip().lower()


class UserQuerySet(models.QuerySet):
    def with_username(self, username: str) -> "UserQuerySet":
        """Users named `username` regardless of case (on the Lower(username) unique index)."""
        return self.alias(username_lower=Lower("username")).filter(username_lower=username.strip().lower())


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email=normalize_email(email))

    def get_by_login(self, login: str) -> "User | None":
        """The user whose email or (case-insensitive) username is `login`, if any."""
        login = login.strip()
        if "@" in login:
            return self.filter(email=normalize_email(login)).first()
        return self.with_username(login).first()

    def create_user(self, email: str, username: str, password: str | None = None, **extra: Any) -> "User":
        from accounts.services import user_create  # services import this module

        return user_create(email=email, username=username, password=password, **extra)

    def create_superuser(
        self, email: str, username: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A learner; staff users are the admins. Signs in with email or username."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=254, unique=True, help_text="Stored in lowercase; unique.")
    username = models.CharField(
        max_length=30,
        validators=[username_validator],
        help_text="3–30 letters, digits, _ . -; unique regardless of case.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Admins can use this site and curate content.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Lowercase storage makes the plain unique index case-insensitive.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lowercase"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.CheckConstraint(
                condition=Q(username__regex=USERNAME_PATTERN), name="user_username_format"
            ),
        ]

    def __str__(self) -> str:
        return self.username

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)


class Profile(models.Model):
    """A learner's game state: exactly one per user (the OneToOne is the database's guarantee)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    selected_certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    xp = models.PositiveIntegerField(default=0)
    level = models.PositiveIntegerField(default=1)
    current_streak = models.PositiveIntegerField(default=0)
    longest_streak = models.PositiveIntegerField(default=0)
    last_quiz_date = models.DateField(null=True, blank=True, help_text="UTC day of the last graded quiz.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1), name="profile_level_positive"),
            models.CheckConstraint(
                condition=Q(longest_streak__gte=F("current_streak")),
                name="profile_longest_streak_covers_current",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class AuthSession(models.Model):
    """One API sign-in. Its id rides in every token issued for it as the `sid` claim, so ending
    the session (logout, password change, absolute expiry) stops its access and refresh tokens
    at once, in every process."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_sessions")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="Absolute end, however often the tokens are refreshed.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="auth_session_user_live")]

    def __str__(self) -> str:
        return f"Session {self.id} of {self.user_id}"
