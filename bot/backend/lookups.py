"""Verified lookups: a reference is shown only for its code, and failed attempts are budgeted.

A wrong code and an unknown reference are one outcome (NoMatch), reached by the same work: the code
is always checked with scrypt, against a dummy hash when the reference does not exist, and both count
against the same failure budgets. So neither the answer nor its timing tells a valid reference from an
invalid one. Budgets (bot/backend/budgets.py) are checked before the code and spent only on a miss: a
stranger's misses never make the owner's right code count as wrong, and a success resets nothing.
Outcomes are plain values; the HTTP layer decides the status codes.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional, Union

from sqlalchemy.engine import Connection, Engine, RowMapping

from bot.backend import db
from bot.backend.budgets import Budget, Budgets
from bot.backend.settings import BackendSettings
from bot.backend.statuses import STATUSES
from bot.backend.verification import hash_code, verify_code

ACTION_SERVER = "action-server"
OPERATOR_PREFIX = "operator:"
EVERYONE = "all"


@dataclass(frozen=True)
class LookupPolicy:
    """The budgets a verified lookup is checked against (values: BackendSettings, reasons: README.md)."""

    lookups_per_conversation: Budget
    lookups_per_client: Budget
    attempts_per_reference: Budget
    failures_per_reference_and_client: Budget
    failures_per_reference: Budget
    failures_per_client: Budget
    failures_per_conversation: Budget
    failures_overall: Budget

    @classmethod
    def from_settings(cls, settings: BackendSettings) -> "LookupPolicy":
        namespace = settings.limits_prefix
        window = f"{settings.lookup_window_seconds:g} seconds"
        return cls(
            Budget.parse("lookups-conversation", f"{settings.lookups_per_conversation} per {window}", namespace),
            Budget.parse("lookups-client", f"{settings.lookups_per_client} per {window}", namespace),
            Budget.parse("attempts-reference", settings.attempts_per_reference, namespace),
            Budget.parse("failures-reference-client", settings.failures_per_reference_and_client, namespace),
            Budget.parse("failures-reference", settings.failures_per_reference, namespace),
            Budget.parse("failures-client", settings.failures_per_client, namespace),
            Budget.parse("failures-conversation", settings.failures_per_conversation, namespace),
            Budget.parse("failures-overall", settings.failures_overall, namespace),
        )


@dataclass(frozen=True)
class Caller:
    """Who asks: the chat conversation and the channel's pseudonym of the user's address (either may be None)."""

    conversation_id: Optional[str]
    client_key: Optional[str]

    def key_for(self, reference: str) -> str:
        """Whose attempts on `reference` these are: the client key, else the conversation."""
        who = f"client:{self.client_key}" if self.client_key else f"conversation:{self.conversation_id}"
        return f"{reference}|{who}"


@dataclass(frozen=True)
class Found:
    application: dict[str, Any]


@dataclass(frozen=True)
class NoMatch:
    """The reference and the code do not match an application: wrong code or unknown reference alike."""


@dataclass(frozen=True)
class TooManyFailures:
    retry_after: float


@dataclass(frozen=True)
class TooManyLookups:
    retry_after: float


Outcome = Union[Found, NoMatch, TooManyFailures, TooManyLookups]


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> tuple[str, str]:
    """A (salt, hash) no code is known to match, checked for unknown references so they cost as much time."""
    return hash_code("0000")


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
        "next_step_zh": status.next_step("zh"),
        "next_step_en": status.next_step("en"),
        "detail_zh": row["detail_zh"],
        "detail_en": row["detail_en"],
        "updated_at": _iso(row["updated_at"]),
        "history": [
            {"status": step["status"], "status_meaning_zh": STATUSES[step["status"]].meaning_zh,
             "status_meaning_en": STATUSES[step["status"]].meaning_en, "at": _iso(step["changed_at"])}
            for step in db.history(conn, row["id"])
        ],
    }


def failure_budgets(policy: LookupPolicy, reference: str, caller: Caller) -> list[tuple[Budget, Optional[str]]]:
    return [
        (policy.failures_per_reference_and_client, caller.key_for(reference)),
        (policy.failures_per_reference, reference),
        (policy.failures_per_client, caller.client_key),
        (policy.failures_per_conversation, caller.conversation_id),
        (policy.failures_overall, EVERYONE),
    ]


def verified_lookup(
    engine: Engine, budgets: Budgets, policy: LookupPolicy, reference: str, code: str, caller: Caller,
    now: datetime,
) -> Outcome:
    """Looks up `reference` for the action server (blocking: run it in a worker thread)."""
    lookup_budgets = [(policy.lookups_per_conversation, caller.conversation_id),
                      (policy.lookups_per_client, caller.client_key)]
    wait = budgets.first_wait(lookup_budgets)
    if wait is not None:
        return TooManyLookups(wait)
    budgets.spend(lookup_budgets)
    failures = failure_budgets(policy, reference, caller)

    def audit(outcome: str) -> None:
        with engine.begin() as conn:
            db.audit(conn, at=now, actor=ACTION_SERVER, conversation_id=caller.conversation_id,
                     reference=reference, outcome=outcome)

    wait = budgets.first_wait(failures)
    if wait is None:
        # Checking the failure budgets now and spending them after the slow code check is not atomic; this
        # reserved budget is, so a volley of concurrent guesses overshoots by its size at most. It is
        # reserved only by attempts the failure budgets let through: a caller refused there cannot spend it.
        wait = budgets.reserve(policy.attempts_per_reference, reference)
    if wait is not None:
        audit("too_many_failures")
        return TooManyFailures(wait)
    with engine.connect() as conn:
        row = db.find_application(conn, reference)
    salt, digest = (row["verification_salt"], row["verification_hash"]) if row is not None else _dummy_hash()
    matches = verify_code(code, salt, digest) and row is not None
    if matches:
        audit("ok")
        with engine.connect() as conn:
            return Found(describe(conn, row))
    budgets.spend(failures)
    audit("wrong_code" if row is not None else "unknown_reference")
    return NoMatch()


def operator_lookup(
    engine: Engine, budgets: Budgets, policy: LookupPolicy, reference: str, operator: str, now: datetime,
) -> Optional[dict[str, Any]]:
    """An office operator's lookup: no code needed, audited as `operator:<name>`.

    Adds `locked_until`: while the reference's own failure budget is spent, nobody can look it up online
    until then, so staff can tell a caller why.
    """
    with engine.begin() as conn:
        row = db.find_application(conn, reference)
        db.audit(conn, at=now, actor=f"{OPERATOR_PREFIX}{operator}", conversation_id=None, reference=reference,
                 outcome="ok" if row is not None else "unknown_reference")
        if row is None:
            return None
        wait = budgets.wait(policy.failures_per_reference, reference)
        until = _iso(now + timedelta(seconds=round(wait))) if wait is not None else None
        return {**describe(conn, row), "locked_until": until}
