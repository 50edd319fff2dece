"""Creates the cluster's PostgreSQL databases if missing, and drops them (tests)."""
from __future__ import annotations

import re

from sqlalchemy import create_engine, text

from bot.cluster.settings import PostgresServer

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _admin(server: PostgresServer):
    return create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT", future=True)


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"database name {name!r}: use lower-case letters, digits and _")
    return name


def ensure_database(server: PostgresServer, name: str) -> bool:
    """Creates database `name` unless it exists; True when it was created."""
    engine = _admin(server)
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{_checked(name)}"'))
            return not exists
    finally:
        engine.dispose()


def drop_database(server: PostgresServer, name: str) -> None:
    """Drops database `name`, closing its connections first."""
    engine = _admin(server)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_checked(name)}" WITH (FORCE)'))
    finally:
        engine.dispose()

