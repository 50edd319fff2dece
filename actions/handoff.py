"""Human handoff: the office's contact details from config/office.yml, and the 12345 hotline."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content import office_contact


class ActionHandoff(Action):
    """Shows how to reach a person; the values come from the office's configuration file."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        language = "en" if tracker.get_slot("language") == "en" else "zh"
        dispatcher.utter_message(response="utter_handoff", **office_contact(language))
        return []
