"""The Redis cache of production degrades to an empty cache while Redis is down (core.cache)."""

import time

from core.cache import ResilientRedisCache


def test_redis_down_is_a_cache_miss_not_an_error():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0",  # nothing listens there
                                {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})
    t0 = time.monotonic()
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.get_or_set("k", lambda: 42) == 42
    assert cache.get_many(["a", "b"]) == {}
    cache.delete("k")
    assert time.monotonic() - t0 < 5
