"""Rasa's SQL tracker store with personal data masked before any event is written or streamed, and a
per-turn cost that does not grow with the conversation.

Named in endpoints files as ``type: bot.stores.RedactingSQLTrackerStore`` with the options of Rasa's
``SQL`` store (SQLite for `make run`, PostgreSQL in production). Rasa saves a tracker once per turn,
after the action server has seen the unmasked in-memory tracker, so masking here loses nothing the
conversation needs (see bot/privacy/redaction.py for what is masked).

Cost per turn: stock Rasa rebuilds the whole session from the database on every turn, replays it, lets
every policy featurize it and sends it all to the action server, so turn 400 of one conversation took
ten times as long as turn 10 (issue 13). ``retrieve`` therefore loads the last TAIL_TURNS turns in full
and, for everything before them, only the events that still hold state: the session start, the latest
value of each slot, the active form, a pause. The policies look back 4 turns (config.yml), the forms
keep their state in slots and the active loop, so the assistant behaves the same; the database keeps
every event (``retrieve_full_tracker``, the staff report). ``save`` writes only the events added since
the tracker was loaded.
"""
from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Iterable, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError

from bot.privacy.redaction import FormState, redact_events

logger = logging.getLogger(__name__)

TAIL_TURNS = 12
# Events before the tail that still hold state, by type: the latest of each (slots: of each slot).
STATE_EVENTS = ("session_started", "active_loop", "pause", "resume")
_LOADED = "_fao_events_in_store"


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
        """The latest session: its last TAIL_TURNS turns, after the state the earlier turns left."""
        try:
            with self.session_scope() as session:
                rows = self._recent_rows(session, sender_id)
        except DBAPIError as error:
            logger.error("tracker store unavailable for conversation %s: %s", sender_id, type(error).__name__)
            raise TrackerStoreUnavailable(sender_id) from None
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        setattr(tracker, _LOADED, len(tracker.events))
        return tracker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_indexes()

    def _create_indexes(self) -> None:
        """Indexes for the point queries of ``_recent_rows`` (Rasa's table indexes only sender_id).

        Several servers may start at once against one database: an index another one created first is fine.
        """
        columns = self.SQLEvent.__table__.c
        for index in (sa.Index("ix_events_fao_kind", columns.sender_id, columns.type_name, columns.action_name,
                               columns.id),
                      sa.Index("ix_events_fao_order", columns.sender_id, columns.id)):
            try:
                index.create(self.engine, checkfirst=True)
            except DBAPIError as error:
                logger.info("index %s not created (%s): it exists already", index.name, type(error).__name__)

    def _recent_rows(self, session: Any, sender_id: Text) -> List[Any]:
        """The rows to rebuild the tracker from, in order: state before the tail, then the tail.

        Every query is an index seek or a short range (the last TAIL_TURNS turns), so the cost does not
        depend on how many events the conversation has.
        """
        event = self.SQLEvent
        of_sender = session.query(event).filter(event.sender_id == sender_id)

        def latest_id(*conditions: Any) -> Optional[int]:
            return of_sender.filter(*conditions).with_entities(sa.func.max(event.id)).scalar()

        start = latest_id(event.type_name == "session_started")
        in_session = of_sender.filter(event.id >= start) if start is not None else of_sender
        boundary = in_session.filter(event.type_name == "action", event.action_name == "action_listen") \
            .with_entities(event.id).order_by(event.id.desc()).offset(TAIL_TURNS).limit(1).scalar()
        if boundary is None:
            return self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        reset = latest_id(event.type_name == "restart", event.id < boundary)
        floor = max(value for value in (start, reset, 0) if value is not None)
        window = (event.id < boundary, event.id >= floor)
        ids = [latest_id(event.type_name == kind, *window) for kind in STATE_EVENTS]
        ids += [latest_id(event.type_name == "slot", event.action_name == name, *window)
                for name in (slot.name for slot in (self.domain.slots if self.domain else []))]
        prefix = of_sender.filter(event.id.in_([i for i in ids if i is not None])).order_by(event.id).all()
        return prefix + of_sender.filter(event.id >= boundary).order_by(event.id).all()

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
            # How many of this tracker's events are stored: known when it was loaded here, else counted.
            stored = getattr(tracker, _LOADED, None)
            if stored is None:
                stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            added = max(len(tracker.events) - stored, 0)
            new_events = redact_events(
                (event.as_dict() for event in itertools.islice(tracker.events, stored, None)),
                form_state_before(itertools.islice(reversed(tracker.events), added, None)),
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
        setattr(tracker, _LOADED, len(tracker.events))
        if self.event_broker is not None:
            for data in new_events:
                self.event_broker.publish({"sender_id": tracker.sender_id, **data})
        logger.debug("tracker %s stored (%d new events, redacted)", tracker.sender_id, len(new_events))
