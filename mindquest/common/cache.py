"""Django's cache backends, with two additions for busy paths.

- One Redis client per connection pool, reused. Django builds a new client (and its table of
  response callbacks) for every cache call, which cost more than the round trip itself.
- `incr_window(key, seconds)`: add one to a counter that expires `seconds` after its first count,
  atomically and in one round trip (the rate limits' fixed windows)."""

from django.core.cache.backends.locmem import LocMemCache as DjangoLocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:  # redis-py clients are safe to share between threads
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# Count, and give a new window its expiry with its first count: one command (a script runs
# atomically), where MULTI, SET NX, INCR and EXEC cost a third more of redis-py's time.
_INCR_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClient
        self._incr_window = None  # the window script, registered on first use

    def incr_window(self, key: str, seconds: int) -> int:
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        if self._incr_window is None:
            self._incr_window = client.register_script(_INCR_WINDOW)
        # Run on this key's client; a server that lacks the script is sent it first.
        return self._incr_window(keys=[key], args=[seconds], client=client)


class LocMemCache(DjangoLocMemCache):
    """One process's memory (development and tests)."""

    def incr_window(self, key: str, seconds: int) -> int:
        self.add(key, 0, timeout=seconds)
        try:
            return self.incr(key)
        except ValueError:  # it expired in between: a new window
            self.add(key, 0, timeout=seconds)
            return self.incr(key)
