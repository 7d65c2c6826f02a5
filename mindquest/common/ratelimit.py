"""Fixed-window rate limits on the shared cache (Redis when REDIS_URL is set), so every web process
and machine counts together. Keys are hashed: nothing personal is stored in the cache."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from mindquest.common.exceptions import ApplicationError

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
TOO_MANY = "Too many attempts. Please wait {wait} and try again."


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'30/hour' → 30 per 3600 seconds."""
        count, _, period = text.partition("/")
        return cls(limit=int(count), seconds=PERIODS[period.strip().rstrip("s")])


class RateLimited(ApplicationError):
    status_code = 429

    def __init__(self, retry_after: int):
        self.retry_after = max(1, retry_after)
        minutes = -(-self.retry_after // 60)
        self.wait = f"{minutes} minute{'s' if minutes != 1 else ''}" if self.retry_after >= 60 else "a moment"
        super().__init__(TOO_MANY.format(wait=self.wait))


def _window(scope: str, key: str, rate: Rate, now: float) -> tuple[str, int]:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    window = int(now // rate.seconds)
    return f"rl:{scope}:{digest}:{window}", rate.seconds - int(now % rate.seconds)


def count(scope: str, key: str, rate_text: str, *, now: float | None = None) -> tuple[int, Rate, int]:
    """Count one event; returns the count in this window, the rate, and the seconds left in it."""
    rate = Rate.parse(rate_text)
    cache_key, remaining = _window(scope, key, rate, now or time.time())
    return cache.incr_window(cache_key, rate.seconds), rate, remaining


def hit(scope: str, key: str, rate_text: str, *, now: float | None = None) -> None:
    """Count one event; RateLimited when it is over the limit for the current window."""
    events, rate, remaining = count(scope, key, rate_text, now=now)
    if events > rate.limit:
        raise RateLimited(retry_after=remaining)


def check(scope: str, key: str, rate_text: str, *, now: float | None = None) -> None:
    """RateLimited if the limit is already reached, without counting this call."""
    rate = Rate.parse(rate_text)
    cache_key, remaining = _window(scope, key, rate, now or time.time())
    if (cache.get(cache_key) or 0) >= rate.limit:
        raise RateLimited(retry_after=remaining)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
