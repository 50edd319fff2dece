"""Rasa's SQL tracker store with personal data masked before any event is written or streamed.

Named in endpoints files as ``type: bot.stores.RedactingSQLTrackerStore`` with the options of Rasa's
``SQL`` store (SQLite for `make run`, PostgreSQL in production). Rasa saves a tracker once per turn,
after the action server has seen the unmasked in-memory tracker, so masking here loses nothing the
conversation needs (see bot/privacy/redaction.py for what is masked).
"""
from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Iterable, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError

from bot.privacy.redaction import FormState, redact_events

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(BaseException):
    """The database did not answer when a conversation was read.

    A BaseException on purpose: Rasa wraps every tracker store in FailSafeTrackerStore, which catches
    Exception and then carries on with an empty in-memory conversation, so a user in the middle of a
    lookup would silently lose the form and the turn would be stored nowhere. This passes through it to
    the channel (bot/channels/safety.py), which tells the user; the next turn reads the stored
    conversation again once the database is back.
    """


def form_state_before(earlier_events_newest_first: Iterable[Any]) -> FormState:
    """The form state after the stored events, from the newest event that changes it."""
    for event in earlier_events_newest_first:
        if event.type_name == "active_loop":
            return FormState(getattr(event, "name", None))
        if event.type_name in ("restart", "session_started"):
            return FormState()
    return FormState()


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Stores (and streams to an event broker, if any) redacted copies of the new events."""

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except DBAPIError as error:
            logger.error("tracker store unavailable for conversation %s: %s", sender_id, type(error).__name__)
            raise TrackerStoreUnavailable(sender_id) from None

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except DBAPIError as error:
            logger.error("tracker store unavailable for conversation %s: %s", conversation_id, type(error).__name__)
            raise TrackerStoreUnavailable(conversation_id) from None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes the events not stored yet, redacted: a turn's cost does not grow with the conversation.

        Only the new events are serialized and redacted; the form state they start in is read from the
        last form event before them.
        """
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            earlier = len(tracker.events) - stored
            new_events = redact_events(
                (event.as_dict() for event in itertools.islice(tracker.events, stored, None)),
                form_state_before(itertools.islice(reversed(tracker.events), max(earlier, 0), None)),
            )
            for data in new_events:
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=data.get("event"),
                        timestamp=data.get("timestamp"),
                        intent_name=((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        if self.event_broker is not None:
            for data in new_events:
                self.event_broker.publish({"sender_id": tracker.sender_id, **data})
        logger.debug("tracker %s stored (%d new events, redacted)", tracker.sender_id, len(new_events))
