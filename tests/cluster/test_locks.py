"""The atomic Redis lock store (real Redis): tickets are unique under concurrency and a released lock is removed."""
from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
import redis

from bot.locks import AtomicRedisLockStore
from rasa.utils.endpoints import EndpointConfig


@pytest.fixture
def prefix() -> Iterator[str]:
    value = f"faolocktest{secrets.token_hex(4)}"
    yield value
    client = redis.Redis(host="127.0.0.1", port=6379, db=1)
    for key in client.scan_iter(f"{value}*"):
        client.delete(key)


def _store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix=prefix))


def test_tickets_issued_at_once_by_two_servers_are_all_different(prefix: str) -> None:
    stores = [_store(prefix), _store(prefix)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        tickets = list(pool.map(lambda i: stores[i % 2].issue_ticket("conversation"), range(200)))
    assert sorted(tickets) == list(range(200))


def test_cleanup_removes_the_lock_only_when_nobody_waits(prefix: str) -> None:
    store = _store(prefix)
    first, second = store.issue_ticket("c"), store.issue_ticket("c")
    store.cleanup("c", first)
    lock = store.get_lock("c")
    assert lock is not None and not lock.is_locked(second)
    store.cleanup("c", second)
    assert store.get_lock("c") is None
