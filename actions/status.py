"""The application-status lookup form: reference, then verification code, then the answer.

The code is checked by the backend (never here) and is never kept in a slot or repeated:
once used, the slot holds a mask.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.backend.client import (
    BackendClient,
    BackendUnavailable,
    InvalidRequest,
    RateLimited,
    ReferenceLocked,
    UnknownReference,
    WrongCode,
)
from bot.backend.reference import extract_reference, kind_of
from bot.nlu.text import normalize_text
from bot.privacy.clients import CLIENT_KEY

CODE_MASK = "****"
# Which code to ask for depends on the application kind (see domain.yml).
ASK_CODE_RESPONSES = {"apec_card": "utter_ask_code_apec", "invitation": "utter_ask_code_invitation"}
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{4}(?![A-Za-z0-9])")
_client: Optional[BackendClient] = None


def backend_client() -> BackendClient:
    """One client per action-server process, created on first use (not at import)."""
    global _client
    if _client is None:
        _client = BackendClient.from_settings()
    return _client


def extract_code(text: Text) -> Optional[str]:
    """The one 4-character code in `text` ("最后四位是4821", "the code is 1184" → the code), or None.

    Codes contain a digit (phone digits, passport-number endings); a 4-letter word such as
    "code" or "last" only counts when it is the whole message.
    """
    normalized = normalize_text(text or "").strip()
    found = _CODE.findall(normalized)
    with_digits = [code for code in found if any(char.isdigit() for char in code)]
    if len(with_digits) == 1:
        return with_digits[0].upper()
    if not with_digits and found == [normalized]:
        return normalized.upper()
    return None


def client_key_of(tracker: Tracker) -> Optional[str]:
    """The channel's pseudonym of the user's address (bot/privacy/clients.py), for the per-address limit."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    key = metadata.get(CLIENT_KEY) if isinstance(metadata, dict) else None
    return key if isinstance(key, str) else None


def language_of(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "zh"


class ValidateStatusForm(FormValidationAction):
    """Validates the reference, then checks the code with the backend and gives the answer."""

    def name(self) -> Text:
        return "validate_status_form"

    async def validate_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        reference = extract_reference(value) if isinstance(value, str) else None
        if reference is None:
            dispatcher.utter_message(response="utter_invalid_reference")
        return {"reference": reference}

    async def validate_verification_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value == CODE_MASK:
            return {"verification_code": CODE_MASK}
        code = extract_code(value) if isinstance(value, str) else None
        if code is None:
            dispatcher.utter_message(response="utter_invalid_code")
            return {"verification_code": None}
        reference = tracker.get_slot("reference")
        language = language_of(tracker)
        try:
            result = await backend_client().lookup(reference, code, tracker.sender_id, client_key_of(tracker))
        except InvalidRequest:
            dispatcher.utter_message(response="utter_invalid_code")
            return {"verification_code": None}
        except WrongCode as wrong:
            dispatcher.utter_message(response="utter_code_wrong", attempts_left=wrong.attempts_left)
            return {"verification_code": None}
        except UnknownReference:
            dispatcher.utter_message(response="utter_reference_unknown", reference=reference)
            return {"reference": None, "verification_code": None}
        except ReferenceLocked:
            dispatcher.utter_message(response="utter_reference_locked", reference=reference)
        except RateLimited:
            dispatcher.utter_message(response="utter_lookup_rate_limited")
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_lookup_unavailable")
        else:
            dispatcher.utter_message(
                response=f"utter_status_result_{result.kind}",
                reference=result.reference,
                status_meaning=getattr(result, f"status_meaning_{language}"),
                detail=getattr(result, f"detail_{language}"),
                next_step=getattr(result, f"next_step_{language}"),
            )
        return {"verification_code": CODE_MASK}


class ActionAskVerificationCode(Action):
    """Asks for the code that fits the application kind (passport or phone digits)."""

    def name(self) -> Text:
        return "action_ask_verification_code"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        reference = tracker.get_slot("reference")
        kind = kind_of(reference) if reference else "apec_card"
        dispatcher.utter_message(response=ASK_CODE_RESPONSES[kind], reference=reference)
        return []


def _reset() -> List[Dict[Text, Any]]:
    return [SlotSet("reference", None), SlotSet("verification_code", None)]


class ActionFinishStatus(Action):
    """Clears the lookup slots after the answer, so the next lookup starts fresh."""

    def name(self) -> Text:
        return "action_finish_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        return _reset()


class ActionCancelStatus(Action):
    """The user stopped the lookup ("算了", "never mind")."""

    def name(self) -> Text:
        return "action_cancel_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_status_cancelled")
        return _reset()
