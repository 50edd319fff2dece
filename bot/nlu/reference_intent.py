"""A message that holds an application reference asks for its status, whatever else it says.

The contract between NLU and the status lookup (issue 11): when RegexEntityExtractor found a
`reference` entity, the intent is `check_status` with confidence 1.0 and it heads the ranking, so the
rule "start a status lookup" runs and the form reads the reference (and a code typed with it).
Placed after every classifier, FallbackClassifier included, so a low score cannot hide the reference.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReferenceIntent(GraphComponent):
    """Sets `intent` to `check_status` (1.0) on messages with a `reference` entity."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"entity": "reference", "intent": "check_status"}

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ReferenceIntent":
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._entity, self._intent = config["entity"], config["intent"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if any(entity.get(ENTITY_ATTRIBUTE_TYPE) == self._entity for entity in message.get(ENTITIES) or []):
                chosen = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or []
                           if entry.get(INTENT_NAME_KEY) != self._intent]
                message.set(INTENT, chosen, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
