"""The Redis cache backend keeps one client per pool and behaves as Django's own (real Redis)."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from stagekans.core.cache import RedisCache


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    return url


def _both(url: str) -> tuple[RedisCache, DjangoRedisCache]:
    ours = RedisCache(url, {"KEY_PREFIX": "test-core-cache-ours"})
    django = DjangoRedisCache(url, {"KEY_PREFIX": "test-core-cache-django"})
    return ours, django


def test_one_client_per_pool(redis_url):
    cache, _ = _both(redis_url)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert cache._cache.get_client().connection_pool is cache._cache._get_connection_pool(True)


def test_same_results_as_djangos_backend(redis_url):
    for cache in _both(redis_url):
        cache.clear()
        cache.set("a", {"x": [1, 2]}, 30)
        assert cache.get("a") == {"x": [1, 2]}
        assert cache.add("a", 5) is False and cache.add("b", 5) is True
        assert cache.incr("b") == 6
        cache.set_many({"c": 1, "d": 2})
        assert cache.get_many(["a", "c", "d", "missing"]) == {"a": {"x": [1, 2]}, "c": 1, "d": 2}
        cache.delete_many(["c", "d"])
        assert cache.get("c") is None and cache.has_key("a")
        assert cache.touch("a", 30) and cache.delete("a") and cache.get("a", "gone") == "gone"
        cache.clear()


def test_a_dropped_connection_is_replaced(redis_url):
    cache, _ = _both(redis_url)
    cache.set("k", 1)
    cache._cache.get_client().connection_pool.disconnect()
    assert cache.get("k") == 1
    cache.delete("k")


def test_threads_share_the_client_safely(redis_url):
    cache, _ = _both(redis_url)
    cache.set("n", 0)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(200):
                cache.incr("n")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and cache.get("n") == 800
    cache.delete("n")


def test_add_and_incr_counts_a_fixed_window_in_one_round_trip(redis_url):
    cache, _ = _both(redis_url)
    cache.delete("w")
    assert [cache.add_and_incr("w", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.get("w") == 3  # an ordinary integer for get()
    client = cache._cache.get_client()
    key = cache.make_and_validate_key("w")
    first_ttl = client.ttl(key)
    assert 0 < first_ttl <= 60
    client.expire(key, 5)  # later hits do not move the end of the window
    cache.add_and_incr("w", 60)
    assert client.ttl(key) <= 5
    client.delete(key)  # the window ended: counting starts again
    assert cache.add_and_incr("w", 60) == 1
    cache.delete("w")


def test_the_rate_limiter_counts_alike_on_both_paths(redis_url, monkeypatch):
    """core.ratelimit uses add_and_incr when the cache has it, else add + incr: same counts."""
    from stagekans.core import ratelimit

    limit = ratelimit.Limit("test-both-paths", 3, 60)
    for cache in _both(redis_url):
        monkeypatch.setattr(ratelimit, "cache", cache)
        cache.delete(ratelimit._counter_key(limit.scope, "k"))
        assert [ratelimit.exceeded(limit, "k") for _ in range(4)] == [False, False, False, True]
        assert ratelimit.count(limit, "k") == 4
        cache.delete(ratelimit._counter_key(limit.scope, "k"))
