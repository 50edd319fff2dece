"""Dialogue acts the classifier must not decide alone: one home for each such rule.

Runs after the classifier and corrects its intent where a deterministic signal exists:
- a message that contains an application reference starts (or continues) the status lookup,
  whatever else it says ("查询 ABTC-2025-000233", "sorry, it's INV-2025-000051"), and so does a
  request to look an application up ("check status", "帮我查一下申请进度"; bot.status_input);
- the language switch is decided by bot.nlu.language alone: `switch_language` only when the user
  asks for a language, never otherwise ("能用英语吗" switches; "can the ambulance staff speak
  English" does not);
- a message that names one of our topics is a question, even when it also thanks or greets
  ("谢谢，那邀请函呢？").
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge import knowledge_files
from bot.nlu.fingerprint import source_digest
from bot.nlu.language import PAYLOAD_PREFIX, requested_language
from bot.nlu.understanding import Lexicons, read_message, repository_lexicons
from bot.status_input import asks_for_lookup

STATUS_INTENT = "check_status"
SWITCH_INTENT = "switch_language"
FAQ_INTENT = "faq"
REFERENCE_ENTITY = "reference"
# Intents that a topic word turns into a question.
SMALL_TALK = ("greet", "thank", "goodbye", "affirm", "deny", "bot_challenge", "out_of_scope", "capabilities", "nlu_fallback")


def corrected_intent(text: str, intent: str, entities: List[Dict[str, Any]], lexicons: Lexicons) -> Optional[str]:
    """The intent the rules above impose, or None to keep the classifier's."""
    if (text or "").lstrip().startswith(PAYLOAD_PREFIX):
        return None
    if any(entity.get("entity") == REFERENCE_ENTITY for entity in entities) or asks_for_lookup(text):
        return STATUS_INTENT
    if requested_language(text):
        return SWITCH_INTENT
    if intent == SWITCH_INTENT:
        return FAQ_INTENT if read_message(text, lexicons).topic else "out_of_scope"
    if intent in SMALL_TALK and read_message(text, lexicons).topic:
        return FAQ_INTENT
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DialogueActRules(GraphComponent):
    """Applies `corrected_intent` to every parsed message (see the module docstring)."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Our code and the knowledge base's cues are part of the cache key."""
        return source_digest(__name__, knowledge_files())

    def __init__(self, config: Dict[str, Any]) -> None:
        self._lexicons = repository_lexicons()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DialogueActRules":
        return cls(config)

    @staticmethod
    def required_packages() -> List[Text]:
        return []

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
            corrected = corrected_intent(message.get(TEXT) or "", intent, message.get(ENTITIES) or [], self._lexicons)
            confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
            # also when the classifier chose the same intent unsure: FallbackClassifier must not override it
            if corrected and (corrected != intent or confidence < 1.0):
                message.set(INTENT, {INTENT_NAME_KEY: corrected, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
                # The others are halved: the rule decided, so FallbackClassifier's ambiguity check (top two
                # within 0.08) must not find a close second ("ABTC-2025-000233 7302" was inform at 0.95).
                ranking = [{**r, PREDICTED_CONFIDENCE_KEY: (r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) / 2}
                           for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != corrected]
                ranking.insert(0, {INTENT_NAME_KEY: corrected, PREDICTED_CONFIDENCE_KEY: 1.0})
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
