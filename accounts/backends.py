from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.selectors import user_get


class EmailOrUsernameBackend(ModelBackend):
    """Session sign-in (pages and admin) with either the email or the username."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        login = username or kwargs.get(User.USERNAME_FIELD)
        if not login or password is None:
            return None
        user = User.objects.get_by_login(login)
        if user is None:
            User().set_password(password)  # spend the same time as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a page request, with the profile nearly every page shows."""
        user = user_get(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
