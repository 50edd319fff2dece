"""The backend's only door to the database: tables, schema migrations and every query.

SQLite (a file, the default) and PostgreSQL behave the same here. Times are stored as naive UTC and
returned timezone-aware. Callers run these blocking functions in a worker thread (asyncio.to_thread).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from sqlalchemy import (
    Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, TypeDecorator,
    create_engine, event, func, insert, select, text, update,
)
from sqlalchemy.engine import Connection, Engine, RowMapping, make_url

from bot.backend.verification import hash_code


class UTCDateTime(TypeDecorator):
    """Naive UTC in the column, aware UTC in Python, so SQLite and PostgreSQL round-trip the same value."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UTCDateTime, nullable=False),
)
applications = Table(
    "applications", metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("applicant_name_zh", String(200)),
    Column("applicant_name_en", String(200)),
    Column("company_zh", String(200), nullable=False),
    Column("company_en", String(200), nullable=False),
    Column("invitees", Integer),
    Column("status", String(32), nullable=False),
    Column("detail_zh", Text, nullable=False),
    Column("detail_en", Text, nullable=False),
    Column("verification_salt", String(64), nullable=False),
    Column("verification_hash", String(200), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
status_history = Table(
    "status_history", metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", Integer, ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("conversation_id", String(200)),
    Column("reference", String(32), index=True),
    Column("outcome", String(32), nullable=False),
)
seed_runs = Table(
    "seed_runs", metadata,
    Column("name", String(64), primary_key=True),
    Column("applied_at", UTCDateTime, nullable=False),
)


def _create_v1(conn: Connection) -> None:
    metadata.create_all(
        conn,
        tables=[applications, status_history, audit_log, seed_runs],
    )


def _drop_lock_tables_v2(conn: Connection) -> None:
    """Failed attempts and locks moved to the shared attempt budgets (budgets.py); their tables go."""
    for table in ("failed_attempts", "reference_locks"):
        conn.execute(text(f"DROP TABLE IF EXISTS {table}"))


MIGRATIONS: Sequence[Callable[[Connection], None]] = (_create_v1, _drop_lock_tables_v2)
"""Ordered schema steps; step i brings the schema to version i+1. Step 1 creates tables as declared above,
so a fresh database already has the latest columns: later steps must check the inspector and skip
what exists (add column if missing), and the table declarations are updated together with them."""


def connect(database_url: str) -> Engine:
    """An engine for DATABASE_URL; for SQLite, creates the file's folder and serializes writers."""
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 10})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so two lookups of one reference cannot both
        # read "4 failures" and miss the lock; PostgreSQL gets the same from SELECT ... FOR UPDATE.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def safe_url(engine: Engine) -> str:
    """The database URL with any password masked, for log lines."""
    return engine.url.render_as_string(hide_password=True)


def migrate(engine: Engine) -> int:
    """Bring the schema to the latest version; returns it. Safe to run at every start."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(4202503)"))
        schema_version.create(conn, checkfirst=True)
        current = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
        if current > len(MIGRATIONS):
            raise RuntimeError(f"database schema version {current} is newer than this code ({len(MIGRATIONS)})")
        for version, step in enumerate(MIGRATIONS, start=1):
            if version > current:
                step(conn)
                conn.execute(insert(schema_version).values(version=version, applied_at=utcnow()))
    return len(MIGRATIONS)


def ping(engine: Engine) -> None:
    """Raises unless the database answers a trivial query."""
    with engine.connect() as conn:
        conn.execute(select(1)).scalar()


@dataclass(frozen=True)
class ApplicationRecord:
    """One application as written by the seed or the CSV import; the code is hashed on write, never stored."""

    reference: str
    kind: str
    company_zh: str
    company_en: str
    status: str
    detail_zh: str
    detail_en: str
    verification_code: str = field(repr=False)
    applicant_name_zh: Optional[str] = None
    applicant_name_en: Optional[str] = None
    invitees: Optional[int] = None
    updated_at: Optional[datetime] = None

    def columns(self, now: datetime) -> dict[str, Any]:
        salt, digest = hash_code(self.verification_code)
        values = {name: getattr(self, name) for name in (
            "reference", "kind", "company_zh", "company_en", "status", "detail_zh", "detail_en",
            "applicant_name_zh", "applicant_name_en", "invitees",
        )}
        return {**values, "verification_salt": salt, "verification_hash": digest,
                "updated_at": self.updated_at or now}


def find_application(conn: Connection, reference: str, *, for_update: bool = False) -> Optional[RowMapping]:
    query = select(applications).where(applications.c.reference == reference)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).mappings().first()


def history(conn: Connection, application_id: int) -> list[RowMapping]:
    query = (select(status_history.c.status, status_history.c.changed_at)
             .where(status_history.c.application_id == application_id)
             .order_by(status_history.c.changed_at, status_history.c.id))
    return list(conn.execute(query).mappings())


def insert_application(
    conn: Connection, record: ApplicationRecord, steps: Sequence[tuple[str, datetime]] = (), *, now: datetime,
) -> None:
    """Adds an application; `steps` is its status history (the last step dates the record), else just its status."""
    values = record.columns(steps[-1][1] if steps else now)
    application_id = conn.execute(insert(applications).values(**values)).inserted_primary_key[0]
    rows = [{"application_id": application_id, "status": s, "changed_at": at} for s, at in steps]
    conn.execute(insert(status_history), rows or [
        {"application_id": application_id, "status": record.status, "changed_at": values["updated_at"]}])


def update_application(conn: Connection, current: RowMapping, record: ApplicationRecord, *, now: datetime) -> None:
    """Overwrites an application; a changed status is appended to its history."""
    values = record.columns(now)
    conn.execute(update(applications).where(applications.c.id == current["id"]).values(**values))
    if record.status != current["status"]:
        conn.execute(insert(status_history).values(
            application_id=current["id"], status=record.status, changed_at=values["updated_at"]))


def audit(conn: Connection, *, at: datetime, actor: str, conversation_id: Optional[str],
          reference: Optional[str], outcome: str) -> None:
    """One audit line per lookup: who, for which conversation and reference, and what came of it (never the code)."""
    conn.execute(insert(audit_log).values(
        at=at, actor=actor, conversation_id=conversation_id, reference=reference, outcome=outcome))


def seed_applied(conn: Connection, name: str) -> bool:
    return conn.execute(select(seed_runs.c.name).where(seed_runs.c.name == name)).first() is not None


def mark_seed_applied(conn: Connection, name: str, now: datetime) -> None:
    conn.execute(insert(seed_runs).values(name=name, applied_at=now))
