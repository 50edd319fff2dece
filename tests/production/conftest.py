"""One production-profile cluster (2 Rasa + 2 action servers behind nginx, PostgreSQL, Redis) per test session.

Databases and the Redis key prefix are unique to the run and removed afterwards. Every test talks HTTP
from its own loopback source address (127.x.y.z), so the per-address lookup limit of one test does not
spill into another.
"""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest
import redis
from sqlalchemy import create_engine, text

from bot.cluster.cluster import Cluster
from bot.cluster.databases import drop_database
from bot.cluster.settings import ClusterSettings
from bot.settings import REPO_ROOT

MODEL = REPO_ROOT / "models" / "fao-assistant.tar.gz"
LOOKUPS_PER_CONVERSATION = 3
LOOKUPS_PER_CLIENT = 5


class Chat:
    """A chat client of the REST channel at `base_url`, connecting from loopback address `source`."""

    def __init__(self, base_url: str, source: str) -> None:
        host_port = base_url.split("//", 1)[1]
        self.host, port = host_port.split(":")
        self.port, self.source = int(port), source

    def request(self, method: str, path: str, body: Optional[bytes] = None,
                headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(self.source, 0))
        try:
            conn.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def send(self, sender: str, message: str) -> List[Dict[str, Any]]:
        status, _, body = self.request("POST", "/webhooks/rest/webhook",
                                       json.dumps({"sender": sender, "message": message}).encode())
        assert status == 200, (status, body[:300])
        return json.loads(body)

    def text(self, sender: str, message: str) -> str:
        return "\n".join(reply.get("text", "") for reply in self.send(sender, message))


def random_source() -> str:
    return f"127.{random.randint(1, 250)}.{random.randint(1, 250)}.{random.randint(2, 250)}"


def new_sender(prefix: str = "prod") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def eventually(check: Callable[[], Any], timeout: float = 60, interval: float = 1.0) -> Any:
    """The first truthy result of `check` (a recovering service), or the last failure after `timeout` s."""
    deadline = time.monotonic() + timeout
    result: Any = None
    while True:
        try:
            result = check()
            if result:
                return result
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s: last result {result!r}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    subprocess.run([str(REPO_ROOT / "scripts" / "setup_cluster.sh")], check=True)
    run = secrets.token_hex(4)
    settings = ClusterSettings(
        state_dir=tmp_path_factory.mktemp("cluster"),
        model_path=MODEL,
        backend_database_url="",
        configured_origins=[],
        tracker_db=f"fao_prodtest_{run}_tracker",
        backend_db=f"fao_prodtest_{run}_backend",
        redis_key_prefix=f"faoprodtest{run}",
        extra_env={
            "BACKEND_LOOKUPS_PER_CONVERSATION": str(LOOKUPS_PER_CONVERSATION),
            "BACKEND_LOOKUPS_PER_CLIENT": str(LOOKUPS_PER_CLIENT),
        },
    )
    running = Cluster(settings, dict(os.environ))
    running.start()
    try:
        yield running
    finally:
        running.stop()
        for database in (settings.tracker_db, settings.backend_db):
            drop_database(settings.postgres, database)
        store = redis.Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db)
        for key in store.scan_iter(f"{settings.redis_key_prefix}*"):
            store.delete(key)


@pytest.fixture
def chat(cluster: Cluster) -> Chat:
    """Through nginx, from a fresh loopback address."""
    return Chat(cluster.settings.public_url, random_source())


def direct(cluster: Cluster, number: int, source: str) -> Chat:
    """Straight to Rasa server `number`, bypassing nginx."""
    return Chat(cluster.rasa_url(number), source)


def tracker_events(cluster: Cluster, sender: str) -> List[Tuple[str, str]]:
    """(type_name, data) of every stored event of `sender`, in order, read from PostgreSQL."""
    engine = create_engine(cluster.settings.tracker_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).all()
        return [(row[0], row[1]) for row in rows]
    finally:
        engine.dispose()


def count_events(cluster: Cluster, sender: str, kind: str) -> int:
    return sum(1 for type_name, _ in tracker_events(cluster, sender) if type_name == kind)


def contains_token(haystack: str, token: str) -> bool:
    """`token` as a whole word (not inside a longer number, word or timestamp)."""
    return re.search(rf"(?<![0-9A-Za-z.]){re.escape(token)}(?![0-9A-Za-z])", haystack, re.IGNORECASE) is not None


def log_texts(cluster: Cluster) -> Dict[Path, str]:
    return {path: path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(cluster.settings.log_dir.glob("*.log"))}


@pytest.fixture
def database_switch(cluster: Cluster) -> Iterator[Callable[[str, bool], None]]:
    """Refuses (and cuts) or allows connections to one of the cluster's databases; no other database is touched."""
    admin = create_engine(cluster.settings.postgres.url("postgres"), isolation_level="AUTOCOMMIT", future=True)
    ours = (cluster.settings.backend_db, cluster.settings.tracker_db)

    def switch(name: str, allowed: bool) -> None:
        assert name in ours
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}'))
            if not allowed:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                             {"n": name})

    try:
        yield switch
    finally:
        for name in ours:
            switch(name, True)
        admin.dispose()
