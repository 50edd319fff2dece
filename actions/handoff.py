"""Human handoff: the office's filled-in contact details, then the verified public channels."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content import contact_text


class ActionHandoff(Action):
    """Shows how to reach a person; never a value the office has not filled in."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        language = "en" if tracker.get_slot("language") == "en" else "zh"
        dispatcher.utter_message(response="utter_handoff", channels=contact_text(language))
        return []
