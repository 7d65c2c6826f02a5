"""Sign-in and sign-up limits, shared by the API and the pages. The messages never say whether an
account exists: an unknown address is limited exactly like a known one."""

from django.conf import settings

from accounts.models import User, normalize_email
from mindquest.common import ratelimit


def _account(login: str) -> str:
    """What the per-account limit counts: the account the login names, whether by its email or its
    username (one count for both), or else the login as typed."""
    user = User.objects.get_by_login(login)
    return f"user:{user.pk}" if user else f"login:{normalize_email(login)}"


def login_allowed(*, ip: str, login: str) -> str:
    """Count an attempt from this address; refuse if the address or the account is over its limit.
    Returns the account's key, for `login_failed`."""
    ratelimit.hit("login-ip", ip, settings.LOGIN_RATE_PER_IP)
    account = _account(login)
    ratelimit.check("login-account", account, settings.LOGIN_RATE_PER_ACCOUNT)
    return account


def login_failed(*, account: str) -> None:
    """Count a failed attempt against the account (`login_allowed`'s key; known or not)."""
    ratelimit.count("login-account", account, settings.LOGIN_RATE_PER_ACCOUNT)


def registration_allowed(*, ip: str, email: str) -> None:
    ratelimit.hit("register-ip", ip, settings.REGISTER_RATE_PER_IP)
    ratelimit.hit("register-account", normalize_email(email), settings.REGISTER_RATE_PER_ACCOUNT)
