"""The versioned view cache: one build per view and version, nothing kept from a failed build."""

import threading

import pytest

from catalog.read_cache import VersionedCache


def test_views_are_built_once_per_version():
    cache, builds = VersionedCache(), []
    for version in ((1,), (1,), (2,), (2,)):
        value = cache.get(version, "home", lambda v=version: builds.append(v) or v)
        assert value == version, f"version {version} got the view of {value}"
    assert builds == [(1,), (2,)], f"builds: {builds}"


def test_a_failed_build_stores_nothing():
    cache = VersionedCache()

    def fail():
        raise LookupError("no such method")

    with pytest.raises(LookupError):
        cache.get((1,), "missing", fail)
    assert cache.get((1,), "missing", lambda: "found now") == "found now", "a failure was cached"
    assert not cache._building, "a failed build left its lock behind"


def test_the_oldest_views_go_first_past_the_bound():
    cache = VersionedCache(max_entries=2)
    for key in "abc":
        cache.get((1,), key, lambda k=key: k)
    assert cache.get((1,), "a", lambda: "rebuilt") == "rebuilt", "the oldest view was kept past the bound"
    assert cache.get((1,), "c", lambda: "rebuilt") == "c", "the newest view was dropped"


def test_concurrent_requests_for_one_view_build_it_once():
    cache, builds, started = VersionedCache(), [], threading.Event()
    release = threading.Event()

    def slow():
        builds.append(1)
        started.set()
        release.wait(10)
        return "view"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get((1,), "export", slow))) for _ in range(8)
    ]
    threads[0].start()
    started.wait(10)
    for thread in threads[1:]:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == ["view"] * 8 and builds == [1], f"{len(builds)} builds for 8 requests"
