"""Fixtures that run the real backend: `python -m bot.backend` on a free loopback port, on a fresh database.

Databases are SQLite files in a temp folder or throwaway PostgreSQL databases (created and dropped
here; those tests are skipped, with the reason, when PostgreSQL cannot be reached).
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from bot.backend import db
from bot.settings import free_port

REPO = Path(__file__).resolve().parents[2]
TOKEN = "test-token-" + secrets.token_hex(8)
PG_ADMIN_URL = os.environ.get("BACKEND_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_TEST_URL = os.environ.get("BACKEND_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
DEMO_CODES = {  # the verification codes of the demo records, from the table in issue 4
    "ABTC-2024-000107": "4821", "ABTC-2025-000233": "7302", "ABTC-2025-000318": "1569",
    "ABTC-2025-000402": "2046", "INV-2025-000051": "3390", "INV-2025-000064": "5147", "INV-2025-000077": "8803",
}


@pytest.fixture
def demo_codes() -> dict[str, str]:
    return dict(DEMO_CODES)


def add_application(database_url: str, code: str, **overrides: Any) -> str:
    """Writes a fresh application (unique reference) straight into the database; returns its reference."""
    kind = overrides.pop("kind", "apec_card")
    prefix = "ABTC" if kind == "apec_card" else "INV"
    reference = f"{prefix}-2031-{secrets.randbelow(10**6):06d}"
    values: dict[str, Any] = dict(
        reference=reference, kind=kind, company_zh="测试公司", company_en="Test Co.", status="under_review",
        detail_zh="测试。", detail_en="A test.", verification_code=code,
        applicant_name_zh="测试", applicant_name_en="Test", invitees=2 if kind == "invitation" else None,
    )
    values.update(overrides)
    engine = db.connect(database_url)
    try:
        with engine.begin() as conn:
            db.insert_application(conn, db.ApplicationRecord(**values), now=db.utcnow())
    finally:
        engine.dispose()
    return reference


@dataclass
class Server:
    """One running backend process and its log file."""

    database_url: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    def call(
        self, method: str, path: str, body: Any = None, *, token: Optional[str] = TOKEN,
        raw: Optional[bytes] = None, headers: Optional[dict[str, str]] = None,
    ) -> tuple[int, Any, dict[str, str]]:
        """(status, parsed JSON or None, headers) of one request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if payload is not None:
            sent["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=payload, headers=sent)
            response = conn.getresponse()
            data = response.read()
            parsed = json.loads(data) if data else None
            return response.status, parsed, {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()

    def lookup(self, reference: str, code: Any, conversation_id: Optional[str] = "test-conversation",
               **kwargs: Any) -> tuple[int, Any, dict[str, str]]:
        body = {"reference": reference, "verification_code": code, "conversation_id": conversation_id}
        return self.call("POST", "/api/v1/applications/lookup", body, **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(database_url: str, log_dir: Path, **env: str) -> Server:
    """Starts `python -m bot.backend` and waits until its health endpoint answers 200."""
    port = free_port()
    log_path = log_dir / f"backend-{port}.log"
    full_env = {**os.environ, "DATABASE_URL": database_url, "BACKEND_SERVICE_TOKEN": TOKEN,
                "BACKEND_HOST": "127.0.0.1", "BACKEND_PORT": str(port), "BACKEND_RATE_LIMIT": "100000",
                "BACKEND_LOOKUPS_PER_CONVERSATION": "100000", "BACKEND_LOOKUPS_PER_CLIENT": "100000",
                # Budgets a module's tests would share; tests of them set them back (test_attempt_budgets.py).
                # The budgets per reference stay as shipped: each test adds its own references.
                "BACKEND_FAILURES_PER_CONVERSATION": "100000 per day", "BACKEND_FAILURES_PER_CLIENT": "100000 per day",
                "BACKEND_FAILURES_OVERALL": "100000 per day", "BACKEND_ATTEMPTS_PER_REFERENCE": "100000 per day",
                "BACKEND_LIMITS_STORAGE": "memory://",
                "PYTHONUNBUFFERED": "1", **env}
    if env.get("BACKEND_SERVICE_TOKEN") == "":
        del full_env["BACKEND_SERVICE_TOKEN"]
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.backend"], cwd=REPO, env=full_env,
                                   stdout=log, stderr=subprocess.STDOUT)
    server = Server(database_url, port, log_path, process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"backend exited with {process.returncode}:\n{server.log()}")
        try:
            if server.call("GET", "/api/v1/health", token=None)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"backend did not become healthy:\n{server.log()}")


@dataclass
class Databases:
    """Creates fresh databases of either kind and removes them afterwards."""

    folder: Path
    created: list[str] = field(default_factory=list)

    def new(self, kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{self.folder / f'backend-{secrets.token_hex(4)}.db'}"
        psycopg2 = pytest.importorskip("psycopg2")
        name = f"fao_backend_test_{secrets.token_hex(6)}"
        try:
            admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
        except psycopg2.OperationalError as error:
            pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(error).strip()}")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        self.created.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop_all(self) -> None:
        if not self.created:
            return
        import psycopg2

        admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
        admin.autocommit = True
        with admin.cursor() as cursor:
            for name in self.created:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[Databases]:
    found = Databases(tmp_path)
    yield found
    found.drop_all()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    """Servers a test starts itself (with start_server); all stopped at the end."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One backend per test module and database kind, shared by its tests (each test adds its own records)."""
    folder = tmp_path_factory.mktemp("backend")
    dbs = Databases(folder)
    try:
        server = start_server(dbs.new(request.param), folder)
        yield server
        server.stop()
    finally:
        dbs.drop_all()


@pytest.fixture(scope="module")
def sqlite_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("backend")
    server = start_server(Databases(folder).new("sqlite"), folder)
    yield server
    server.stop()


@pytest.fixture
def redis_limits() -> Iterator[dict[str, str]]:
    """Environment for backends that keep their budgets in one Redis, under a prefix of this test only.

    Skipped, with the reason, when Redis cannot be reached; the test's keys are removed afterwards.
    """
    redis = pytest.importorskip("redis")
    store = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        store.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_TEST_URL}: {error}")
    prefix = f"faotest{secrets.token_hex(6)}"
    yield {"BACKEND_LIMITS_STORAGE": REDIS_TEST_URL, "BACKEND_LIMITS_PREFIX": prefix}
    for key in store.scan_iter(f"*{prefix}*"):
        store.delete(key)
    store.close()
