"""Read-mostly data that each process keeps in memory, reloaded when a shared version moves.

The version lives in the cache (Redis in production, shared by every process). A process trusts
its copy for `check_seconds` before reading the version again, so a change made elsewhere
reaches every process within that time, and at once the process that made it."""

import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction


class SharedSnapshot[T]:
    """What `load()` returns, kept by this process until the version under `version_key` moves
    (`changed()` moves it). Treat the copy as read-only: later requests share it."""

    def __init__(self, version_key: str, load: Callable[[], T], *, check_seconds: float = 1.0):
        self.version_key = version_key
        self.check_seconds = check_seconds
        self._load = load
        self._copy: tuple[str, T] | None = None  # (the version it was loaded at, the data)
        self._checked_at = 0.0  # when this process last saw its version current (monotonic)

    def get(self) -> T:
        """This process's copy, checked against the shared version at most every check_seconds
        (one cache read), loaded again when that moved."""
        now = time.monotonic()
        copy = self._copy
        if copy is not None and now - self._checked_at < self.check_seconds:
            return copy[1]
        version = cache.get(self.version_key)
        if version is None:  # never set, expired or evicted: start a new version
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        if copy is None or copy[0] != version:
            # The version is read before the data: a change committed meanwhile moves it again,
            # and the next check loads once more.
            copy = self._copy = (version, self._load())
        self._checked_at = now
        return copy[1]

    def changed(self) -> None:
        """The data is changing: this process loads it again on its next use, the others once they
        see the new shared version. Inside a transaction the version moves now, for the rest of
        it, and again once it commits, so that no process keeps a copy read before the change was
        visible."""
        self._move()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._move)

    def _move(self) -> None:
        self._copy = None
        cache.set(self.version_key, uuid.uuid4().hex, timeout=None)
