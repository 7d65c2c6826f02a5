import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import Profile, User
from mindquest.common.db import column, db_value, fetch_models, select_list, table


@functools.cache
def _user_with_profile_sql() -> str:
    return (
        f"SELECT {select_list(User)}, {select_list(Profile)} FROM {table(User)}"
        f" LEFT OUTER JOIN {table(Profile)} ON {column(Profile, 'user')} = {column(User, 'id')}"
        f" WHERE {column(User, 'id')} = %s"
    )


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
        """The signed-in user of a page request, with the profile nearly every page shows: one
        written-out statement, as for the API's tokens (every page request runs it)."""
        found = fetch_models(_user_with_profile_sql(), [db_value(User, "id", user_id)], [User, Profile])
        if not found:
            return None
        user, profile = found[0]
        if profile is not None:
            user.profile = profile
        return user if self.user_can_authenticate(user) else None
