"""Questions the assistant could not answer, read from Rasa's tracker store for the feedback report.

Read-only SQL on Rasa's ``events`` table (the SQL tracker store of endpoints.yml; SQLite file
``$FAO_STATE_DIR/tracker.db`` by default, any SQLAlchemy URL through ``TRACKER_DB_URL``). Reading
the table needs no Rasa token and sees every conversation, which the HTTP API cannot list.
A turn ended in fallback when its user message was classified ``nlu_fallback`` or Rasa's core
fallback action ran after it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Tuple

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTION = "action_default_fallback"
MAX_EVENTS = 5000
SQLITE_PREFIX = "sqlite:///"

_QUERY = text(
    """
    SELECT e.sender_id, e.timestamp, e.data FROM events e
    WHERE e.type_name = 'user' AND (
        e.intent_name = :intent
        OR e.id IN (
            SELECT (SELECT MAX(u.id) FROM events u
                    WHERE u.sender_id = a.sender_id AND u.type_name = 'user' AND u.id < a.id)
            FROM events a WHERE a.type_name = 'action' AND a.action_name = :action
        )
    )
    ORDER BY e.id DESC
    LIMIT :limit
    """
)


class TrackerUnavailable(RuntimeError):
    """The tracker store could not be read."""


@dataclass(frozen=True)
class FallbackQuestion:
    """One question (grouped by its text) that ended in fallback."""

    text: str
    count: int
    conversations: int
    last_seen: datetime


def _normalize(question: str) -> str:
    return re.sub(r"\s+", " ", question).strip()


class FallbackReader:
    """Reads fallback questions from the tracker store's events table."""

    def __init__(self, url: str) -> None:
        self._sqlite_file = Path(url[len(SQLITE_PREFIX):]) if url.startswith(SQLITE_PREFIX) else None
        if self._sqlite_file is not None:
            # Read-only, and never create the file before Rasa does.
            url = f"sqlite:///file:{self._sqlite_file}?mode=ro&uri=true"
        self.engine: Engine = create_engine(url, future=True)

    def dispose(self) -> None:
        self.engine.dispose()

    def questions(self, limit: int = 50) -> List[FallbackQuestion]:
        """Distinct fallback questions, the most frequent first (from the latest MAX_EVENTS of them)."""
        if self._sqlite_file is not None and not self._sqlite_file.exists():
            return []
        try:
            with self.engine.connect() as connection:
                if not inspect(connection).has_table("events"):
                    return []
                rows = connection.execute(
                    _QUERY, {"intent": FALLBACK_INTENT, "action": FALLBACK_ACTION, "limit": MAX_EVENTS}
                ).all()
        except SQLAlchemyError as error:
            raise TrackerUnavailable(str(error)) from error
        grouped: Dict[str, Tuple[int, set, float]] = {}
        for sender_id, timestamp, data in rows:
            question = _normalize(json.loads(data).get("text") or "")
            if not question:
                continue
            count, senders, last = grouped.get(question, (0, set(), 0.0))
            senders.add(sender_id)
            grouped[question] = (count + 1, senders, max(last, float(timestamp)))
        found = [
            FallbackQuestion(question, count, len(senders), datetime.fromtimestamp(last, timezone.utc))
            for question, (count, senders, last) in grouped.items()
        ]
        found.sort(key=lambda item: (-item.count, -item.last_seen.timestamp()))
        return found[:limit]
