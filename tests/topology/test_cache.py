"""The Redis cache of production degrades to an empty cache while Redis is down (core.cache)."""

import time

from core.cache import ResilientRedisCache


def test_redis_down_is_a_cache_miss_not_an_error():
    cache = ResilientRedisCache(
        "redis://127.0.0.1:1/0",  # nothing listens there
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    t0 = time.monotonic()
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.get_or_set("k", lambda: 42) == 42
    assert cache.get_many(["a", "b"]) == {}
    cache.delete("k")
    assert time.monotonic() - t0 < 5


def test_one_redis_client_per_pool_is_reused(redis_url):
    """Django builds a ``redis.Redis`` per cache call; ours keeps one per pool (core.cache)."""
    cache = ResilientRedisCache(redis_url, {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    key = f"test-reuse-{time.time_ns()}"
    cache.set(key, {"a": 1}, 30)
    assert cache.get(key) == {"a": 1}
    assert cache.get_many([key, key + "-missing"]) == {key: {"a": 1}}
    cache.delete(key)
    assert cache.get(key) is None
