"""The Redis cache of production (django-redis with IGNORE_EXCEPTIONS, smartportal/settings/base.py)
degrades to an empty cache while Redis is down."""

import time

from django_redis.cache import RedisCache


def production_cache(url: str) -> RedisCache:
    """A cache configured as base.py configures it with REDIS_URL, at ``url``."""
    options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    return RedisCache(url, {"OPTIONS": options})


def test_redis_down_is_a_cache_miss_not_an_error():
    cache = production_cache("redis://127.0.0.1:1/0")  # nothing listens there
    t0 = time.monotonic()
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert not cache.add("k", 1)
    assert cache.get_or_set("k", lambda: 42) == 42
    assert cache.get_many(["a", "b"]) == {}
    cache.delete("k")
    assert time.monotonic() - t0 < 5


def test_values_round_trip_through_redis(redis_url):
    cache = production_cache(redis_url)
    key = f"test-cache-{time.time_ns()}"
    cache.set(key, {"a": 1}, 30)
    assert cache.get(key) == {"a": 1}
    assert cache.get_many([key, key + "-missing"]) == {key: {"a": 1}}
    cache.delete(key)
    assert cache.get(key) is None
