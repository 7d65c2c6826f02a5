"""The cache backends' additions, on the Redis that runs beside every machine and in memory."""

import uuid

import pytest
from django.core.cache.backends import locmem

from mindquest.common.cache import LocMemCache, RedisCache


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_redis_counts_in_a_window_that_expires_from_its_first_count(redis_cache):
    assert [redis_cache.incr_window("hits", 60) for _ in range(3)] == [1, 2, 3]
    key = redis_cache.make_and_validate_key("hits")
    assert 0 < redis_cache._cache.get_client(key).ttl(key) <= 60
    assert redis_cache.get("hits") == 3  # readable as a plain cached int


def test_later_counts_do_not_renew_the_windows_expiry(redis_cache):
    redis_cache.incr_window("hits", 60)
    key = redis_cache.make_and_validate_key("hits")
    client = redis_cache._cache.get_client(key)
    client.expire(key, 5)  # the window, nearly over
    assert redis_cache.incr_window("hits", 60) == 2
    assert 0 < client.ttl(key) <= 5


def test_redis_counters_are_separate_per_key(redis_cache):
    redis_cache.incr_window("a", 60)
    assert redis_cache.incr_window("b", 60) == 1


def test_one_redis_client_is_reused_for_every_call(redis_cache):
    assert redis_cache._cache.get_client("x") is redis_cache._cache.get_client("y", write=True)
    redis_cache.set("k", "v")
    assert redis_cache.get("k") == "v"


def test_memory_counts_in_a_window_and_starts_again_once_it_expires(monkeypatch):
    cache = LocMemCache(f"test-{uuid.uuid4().hex}", {})
    now = [1_000_000.0]
    monkeypatch.setattr(locmem.time, "time", lambda: now[0])
    assert [cache.incr_window("hits", 60) for _ in range(2)] == [1, 2]
    now[0] += 61
    assert cache.incr_window("hits", 60) == 1
