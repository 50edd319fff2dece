"""Verified lookups: the rule that a reference is shown only for its code, and locked after repeated misses.

Checking the code (slow scrypt) happens outside the transaction; the transaction then re-reads the
lock and the failure count with the reference's row held, so concurrent guesses cannot skip the lock.
Outcomes are plain values; the HTTP layer decides the status codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional, Union

from sqlalchemy.engine import Connection, Engine, RowMapping

from bot.backend import db
from bot.backend.statuses import STATUSES
from bot.backend.verification import verify_code

ACTION_SERVER = "action-server"
OPERATOR_PREFIX = "operator:"


@dataclass(frozen=True)
class LockPolicy:
    max_failures: int
    lock_for: timedelta


@dataclass(frozen=True)
class Found:
    application: dict[str, Any]


@dataclass(frozen=True)
class Unknown:
    pass


@dataclass(frozen=True)
class WrongCode:
    attempts_left: int


@dataclass(frozen=True)
class Locked:
    locked_until: datetime


Outcome = Union[Found, Unknown, WrongCode, Locked]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def describe(conn: Connection, row: RowMapping) -> dict[str, Any]:
    """The JSON shape of one application as the API returns it, with its status explained in zh and en."""
    status = STATUSES[row["status"]]
    return {
        "reference": row["reference"],
        "kind": row["kind"],
        "status": status.code,
        "status_meaning_zh": status.meaning_zh,
        "status_meaning_en": status.meaning_en,
        "next_step_zh": status.next_step_zh,
        "next_step_en": status.next_step_en,
        "detail_zh": row["detail_zh"],
        "detail_en": row["detail_en"],
        "updated_at": _iso(row["updated_at"]),
        "history": [
            {"status": step["status"], "status_meaning_zh": STATUSES[step["status"]].meaning_zh,
             "status_meaning_en": STATUSES[step["status"]].meaning_en, "at": _iso(step["changed_at"])}
            for step in db.history(conn, row["id"])
        ],
    }


def verified_lookup(
    engine: Engine, policy: LockPolicy, reference: str, code: str, conversation_id: Optional[str], now: datetime,
) -> Outcome:
    """Looks up `reference` for the action server; counts a wrong code and locks after `policy.max_failures`."""
    with engine.connect() as conn:
        row = db.find_application(conn, reference)
    matches = row is not None and verify_code(code, row["verification_salt"], row["verification_hash"])

    with engine.begin() as conn:
        def audit(outcome: str) -> None:
            db.audit(conn, at=now, actor=ACTION_SERVER, conversation_id=conversation_id,
                     reference=reference, outcome=outcome)

        row = db.find_application(conn, reference, for_update=True)
        if row is None:
            audit("unknown_reference")
            return Unknown()
        until = db.active_lock(conn, reference, now)
        if until is not None:
            audit("locked")
            return Locked(until)
        if matches:
            db.clear_failures(conn, reference)
            audit("ok")
            return Found(describe(conn, row))
        failures = db.record_failure(conn, reference, now, conversation_id)
        if failures >= policy.max_failures:
            until = now + policy.lock_for
            db.lock_reference(conn, reference, now, until)
            db.clear_failures(conn, reference)
            audit("locked_now")
            return Locked(until)
        audit("wrong_code")
        return WrongCode(policy.max_failures - failures)


def operator_lookup(engine: Engine, reference: str, operator: str, now: datetime) -> Optional[dict[str, Any]]:
    """An office operator's lookup: no code needed, audited as `operator:<name>`; adds the lock state."""
    with engine.begin() as conn:
        row = db.find_application(conn, reference)
        db.audit(conn, at=now, actor=f"{OPERATOR_PREFIX}{operator}", conversation_id=None, reference=reference,
                 outcome="ok" if row is not None else "unknown_reference")
        if row is None:
            return None
        until = db.active_lock(conn, reference, now)
        return {**describe(conn, row), "locked_until": _iso(until) if until else None}
