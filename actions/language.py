"""Sets the `language` slot on every user turn (a custom slot mapping run by action_extract_slots)."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.nlu.language import choose_language


class ActionSetLanguage(Action):
    """Applies bot.nlu.language.choose_language to the latest user message."""

    def name(self) -> str:
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        current = tracker.get_slot("language")
        locked = bool(tracker.get_slot("language_locked"))
        payload_language = next(tracker.get_latest_entity_values("language"), None)
        user_turns = sum(1 for event in tracker.events if event.get("event") == "user")
        choice = choose_language(
            message.get("text") or "", message.get("metadata"), current, locked,
            payload_language=payload_language, first_turn=user_turns <= 1,
        )
        events = []
        if choice.language != current:
            events.append(SlotSet("language", choice.language))
        if choice.locked != locked:
            events.append(SlotSet("language_locked", choice.locked))
        return events
