"""Speed-ups of Rasa 3.6 internals, each measured with scripts/profile_turn.py (docs/benchmarks.md).

Applied when Rasa imports our channels (credentials.yml), so `rasa run` and the launcher get them.

- Rasa checks every action-server response with ``jsonschema.validate``, which first validates
  the schema itself against the JSON-Schema meta-schema: about 14 ms of a 18 ms action call here.
  The schema never changes, so it is checked once and its validator kept.
- ``Event.resolve_by_type`` walks every subclass of Event (recursively) for each event it
  deserializes: 0.2 ms per event, half a second per turn for a tracker of 2,500 events (issue 13).
  The class of each type name is looked up once and kept.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_stock_resolve_by_type = Event.resolve_by_type


@functools.lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """The validator of Rasa's action-server response schema, built and checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Same contract as RemoteAction._validate_action_result: True, or the best ValidationError raised."""
    error = best_match(action_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


@functools.lru_cache(maxsize=None)
def _event_class(type_name: str) -> Any:
    return next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)


def resolve_by_type(type_name: Text, default: Any = None) -> Any:
    """Same contract as Event.resolve_by_type; unknown names go to Rasa's own (its default and errors)."""
    found = _event_class(type_name)
    return found if found is not None else _stock_resolve_by_type(type_name, default)


def apply() -> None:
    """Install the patches (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)


apply()
