"""The tracker store rebuilds a long conversation from its last turns and the state before them, and
appends only new events: the same slots, form and answers as a full replay at a cost that stays flat."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path
from typing import List

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import REPO_ROOT
from bot.stores import TAIL_TURNS, RedactingSQLTrackerStore

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


def _turn(i: int) -> List[Event]:
    events: List[Event] = [ActionExecuted("action_listen"),
                           UserUttered(f"question {i}", intent={"name": "greet", "confidence": 1.0}),
                           SlotSet("language", "en" if i % 2 else "zh"), ActionExecuted("utter_greet"),
                           BotUttered(f"answer {i}")]
    if i == 5:
        events += [ActiveLoop("status_form"), SlotSet("reference", "ABTC-2025-000318"),
                   SlotSet("requested_slot", "verification_code")]
    return events


def _store(tmp_path: Path) -> RedactingSQLTrackerStore:
    return RedactingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _rows(tmp_path: Path) -> List[dict]:
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        return [json.loads(data) for (data,) in connection.execute("SELECT data FROM events ORDER BY id")]


def _save_turns(store: RedactingSQLTrackerStore, turns: range) -> DialogueStateTracker:
    tracker = asyncio.run(store.retrieve("long")) or DialogueStateTracker("long", DOMAIN.slots)
    for i in turns:
        for event in _turn(i):
            tracker.update(event)
        asyncio.run(store.save(tracker))
        tracker = asyncio.run(store.retrieve("long"))
    return tracker


def test_a_long_conversation_is_rebuilt_with_the_state_of_a_full_replay(tmp_path: Path) -> None:
    store = _store(tmp_path)
    tracker = _save_turns(store, range(1, 61))
    full = DialogueStateTracker.from_dict("long", _rows(tmp_path), DOMAIN.slots)
    assert tracker.current_slot_values() == full.current_slot_values()
    assert tracker.active_loop_name == full.active_loop_name == "status_form"
    assert tracker.get_slot("reference") == "ABTC-2025-000318" and tracker.get_slot("language") == "zh"
    assert tracker.latest_message.text == "****"  # typed while the form is open
    assert len(tracker.events) < 6 * (TAIL_TURNS + 2) < len(full.events)
    assert [e.text for e in tracker.events if isinstance(e, BotUttered)][-TAIL_TURNS:] == \
        [f"answer {i}" for i in range(61 - TAIL_TURNS, 61)]


def test_only_new_events_are_appended_after_a_windowed_load(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _save_turns(store, range(1, 41))
    rows = _rows(tmp_path)
    assert len(rows) == sum(len(_turn(i)) for i in range(1, 41))
    assert [r["text"] for r in rows if r["event"] == "bot"] == [f"answer {i}" for i in range(1, 41)]
    assert [r["text"] for r in rows if r["event"] == "user"][:5] == [f"question {i}" for i in range(1, 6)]


def test_the_cost_of_loading_does_not_grow_with_the_conversation(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _save_turns(store, range(1, 21))

    def load_ms() -> float:
        started = time.perf_counter()
        for _ in range(10):
            asyncio.run(store.retrieve("long"))
        return (time.perf_counter() - started) * 100

    early = load_ms()
    _save_turns(store, range(21, 201))
    assert load_ms() < 2 * early + 5
