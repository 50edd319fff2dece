"""The web app's own tables (operators, sign-in sessions, 👍/👎 feedback, throttling, audit) and every query on them.

They live in the project database (``DATABASE_URL``) beside the backend's tables, prefixed ``web_``
so the two owners never touch each other's tables. The schema is created by the code on start.
Calls are blocking; the routes run them in a worker thread (``asyncio.to_thread``).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    create_engine,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

operators = Table(
    "web_operators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

operator_sessions = Table(
    "web_operator_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("operator", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "web_feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("message_id", String(64), nullable=False),
    Column("answer_id", String(200), nullable=False, index=True),
    Column("answer_text", Text, nullable=False),
    Column("rating", SmallInteger, nullable=False),
    Column("language", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "message_id", name="uq_web_feedback_message"),
)

# Recent attempts that are limited (failed sign-ins per account and per address, votes per address),
# keyed by a hash so no name or address is kept in clear. Shared by every web replica of one database.
attempts = Table(
    "web_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_web_attempts_kind_key_at", "kind", "key_hash", "at"),
)

# What operators looked at: who, when, which action, and a masked subject (never a search text).
audit_log = Table(
    "web_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("operator", String(64), nullable=False, index=True),
    Column("action", String(32), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("outcome", String(64), nullable=False),
)

UP, DOWN = 1, -1


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class OperatorExists(ValueError):
    """An operator of that name already exists."""


def key_hash(value: str) -> str:
    """What the attempts table stores instead of an operator name or a client address."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    """One audited operator action, as the audit endpoint shows it."""

    at: datetime
    operator: str
    action: str
    subject: str
    outcome: str


@dataclass(frozen=True)
class AnswerFeedback:
    """Votes on one answer, for the report."""

    answer_id: str
    answer_text: str
    down: int
    up: int


@dataclass(frozen=True)
class Vote:
    """One 👍/👎 as the report lists it."""

    conversation_id: str
    answer_id: str
    answer_text: str
    rating: int
    language: str
    created_at: datetime


class WebDatabase:
    """Owns the engine and the ``web_`` tables; callers never write SQL."""

    def __init__(self, url: str) -> None:
        connect_args = {"timeout": 15, "check_same_thread": False} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)

    def create_schema(self) -> None:
        """Create the web app's tables if missing (idempotent, leaves other tables alone)."""
        metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        """Raises unless the database answers a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(select(1)).scalar_one()

    # Operators
    def add_operator(self, name: str, password_hash: str) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(operators).values(name=name, password_hash=password_hash, created_at=_now())
                )
        except IntegrityError as error:
            raise OperatorExists(name) from error

    def set_password(self, name: str, password_hash: str) -> bool:
        """Replace an operator's password and end their sessions; False if there is no such operator."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(operators).where(operators.c.name == name).values(password_hash=password_hash)
            ).rowcount
            connection.execute(delete(operator_sessions).where(operator_sessions.c.operator == name))
        return bool(changed)

    def remove_operator(self, name: str) -> bool:
        with self.engine.begin() as connection:
            removed = connection.execute(delete(operators).where(operators.c.name == name)).rowcount
            connection.execute(delete(operator_sessions).where(operator_sessions.c.operator == name))
        return bool(removed)

    def operator_names(self) -> List[str]:
        with self.engine.connect() as connection:
            return list(connection.execute(select(operators.c.name).order_by(operators.c.name)).scalars())

    def password_hash(self, name: str) -> Optional[str]:
        with self.engine.connect() as connection:
            return connection.execute(
                select(operators.c.password_hash).where(operators.c.name == name)
            ).scalar_one_or_none()

    # Sessions: the cookie holds a random token, the table only its hash.
    def open_session(self, operator: str, lifetime: timedelta) -> str:
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(delete(operator_sessions).where(operator_sessions.c.expires_at < now))
            connection.execute(
                insert(operator_sessions).values(
                    token_hash=_token_hash(token), operator=operator, expires_at=now + lifetime
                )
            )
        return token

    def session_operator(self, token: str) -> Optional[str]:
        """The operator signed in with ``token``, or None when unknown or expired."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(operator_sessions.c.operator, operator_sessions.c.expires_at).where(
                    operator_sessions.c.token_hash == _token_hash(token)
                )
            ).first()
        if row is None or _as_utc(row.expires_at) < _now():
            return None
        return row.operator

    def close_session(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(operator_sessions).where(operator_sessions.c.token_hash == _token_hash(token))
            )

    # Throttling: attempts within a sliding window.
    def record_attempt(self, kind: str, key: str, window: timedelta) -> int:
        """Record one attempt of `kind` by `key`; the number within `window`, this one included."""
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(delete(attempts).where(attempts.c.at < now - window, attempts.c.kind == kind))
            connection.execute(insert(attempts).values(kind=kind, key_hash=key_hash(key), at=now))
        return self.count_attempts(kind, key, window)

    def count_attempts(self, kind: str, key: str, window: timedelta) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(
                select(func.count()).select_from(attempts).where(
                    attempts.c.kind == kind, attempts.c.key_hash == key_hash(key), attempts.c.at >= _now() - window)
            ).scalar_one())

    def clear_attempts(self, kind: str, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(attempts).where(attempts.c.kind == kind, attempts.c.key_hash == key_hash(key)))

    # Audit
    def audit(self, operator: str, action: str, subject: str, outcome: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(audit_log).values(at=_now(), operator=operator[:64], action=action[:32],
                                                        subject=subject[:200], outcome=outcome[:64]))

    def audit_entries(self, limit: int = 100, operator: Optional[str] = None) -> List[AuditEntry]:
        """The latest audited actions, newest first (optionally of one operator)."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if operator:
            query = query.where(audit_log.c.operator == operator)
        with self.engine.connect() as connection:
            return [AuditEntry(_as_utc(row.at), row.operator, row.action, row.subject, row.outcome)
                    for row in connection.execute(query)]

    # Feedback
    def save_feedback(
        self,
        conversation_id: str,
        message_id: str,
        answer_id: str,
        answer_text: str,
        rating: int,
        language: str,
    ) -> None:
        """Store a vote; voting again on the same message replaces the earlier vote."""
        values = dict(answer_id=answer_id, answer_text=answer_text, rating=rating, language=language,
                      created_at=_now())
        where = (feedback.c.conversation_id == conversation_id) & (feedback.c.message_id == message_id)
        with self.engine.begin() as connection:
            if connection.execute(update(feedback).where(where).values(**values)).rowcount:
                return
            connection.execute(
                insert(feedback).values(conversation_id=conversation_id, message_id=message_id, **values)
            )

    def votes_between(self, start: datetime, end: datetime) -> List[Vote]:
        """Every vote cast in [start, end), newest first."""
        query = (select(feedback.c.conversation_id, feedback.c.answer_id, feedback.c.answer_text, feedback.c.rating,
                        feedback.c.language, feedback.c.created_at)
                 .where(feedback.c.created_at >= start, feedback.c.created_at < end)
                 .order_by(feedback.c.created_at.desc(), feedback.c.id.desc()))
        with self.engine.connect() as connection:
            return [Vote(row[0], row[1], row[2], int(row[3]), row[4], _as_utc(row[5]))
                    for row in connection.execute(query)]

    def most_down_voted(self, limit: int = 20) -> List[AnswerFeedback]:
        """Answers with at least one 👎, most 👎 first."""
        down = func.sum(case((feedback.c.rating == DOWN, 1), else_=0))
        up = func.sum(case((feedback.c.rating == UP, 1), else_=0))
        query = (
            select(feedback.c.answer_id, func.max(feedback.c.answer_text), down, up)
            .group_by(feedback.c.answer_id)
            .having(down > 0)
            .order_by(down.desc(), up.asc(), feedback.c.answer_id)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [AnswerFeedback(row[0], row[1], int(row[2]), int(row[3]))
                    for row in connection.execute(query)]
