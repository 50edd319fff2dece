"""What each JSON body of Rasa's HTTP API must look like (pure functions, no Sanic).

Stock Rasa 3.6 answers many malformed bodies with HTTP 500: `[]` to /model/parse, `5` to
/conversations/<id>/messages, `null` to /conversations/<id>/trigger_intent, an empty event list
to /conversations/<id>/tracker/events. `check_api_body` names the problem so the guard
(bot/channels/http_api.py) can answer 400 before Rasa's handler runs.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from rasa.shared.core.events import Event

Check = Callable[[Any], Optional[str]]
MAX_TEXT_CHARS = 2000
MAX_EVENTS = 1000
MAX_BODY_BYTES = 2 * 1024 * 1024


def _text(body: Dict[str, Any], key: str, required: bool = True) -> Optional[str]:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        return f"'{key}' must be a non-empty string"
    if len(value) > MAX_TEXT_CHARS:
        return f"'{key}' is longer than {MAX_TEXT_CHARS} characters"
    return None


def _event_problem(event: Any) -> Optional[str]:
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        return "every event must be an object with an 'event' name"
    try:
        parsed = Event.from_parameters(event)
    except Exception:  # Rasa's event parsers raise KeyError, TypeError, ValueError ... on bad fields
        parsed = None
    return None if parsed is not None else f"event {event['event'][:40]!r} is unknown or malformed"


def events(body: Any, allow_empty: bool = False) -> Optional[str]:
    """An event object or a list of them (Rasa's append, replace and predict endpoints)."""
    items: List[Any] = body if isinstance(body, list) else [body]
    if not items and not allow_empty:
        return "the body must hold at least one event"
    if len(items) > MAX_EVENTS:
        return f"at most {MAX_EVENTS} events per request"
    return next((problem for problem in map(_event_problem, items) if problem), None)


def event_list(body: Any) -> Optional[str]:
    return events(body, allow_empty=True) if isinstance(body, list) else "the body must be a list of events"


def parse_request(body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    return _text(body, "text") or _text(body, "message_id", required=False)


def user_message(body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    problem = _text(body, "text") or _text(body, "sender")
    if problem is None and body.get("parse_data") is not None and not isinstance(body["parse_data"], dict):
        problem = "'parse_data' must be an object"
    return problem


def execute(body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    problem = _text(body, "name") or _text(body, "policy", required=False)
    confidence = body.get("confidence")
    if problem is None and confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, (int, float))
    ):
        problem = "'confidence' must be a number"
    return problem


def trigger_intent(body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    problem = _text(body, "name")
    entities = body.get("entities")
    if problem is None and entities is not None and not isinstance(entities, (dict, list)):
        problem = "'entities' must be an object or a list"
    return problem


# (method, path pattern) → check of the decoded JSON body. Paths are Rasa 3.6's (rasa/server.py).
_CONVERSATION = r"/conversations/[^/]+(?:/[^/]+)*?"
ROUTES: List[Tuple[str, "re.Pattern[str]", Check]] = [
    ("POST", re.compile(_CONVERSATION + r"/tracker/events/?"), events),
    ("PUT", re.compile(_CONVERSATION + r"/tracker/events/?"), event_list),
    ("POST", re.compile(_CONVERSATION + r"/execute/?"), execute),
    ("POST", re.compile(_CONVERSATION + r"/trigger_intent/?"), trigger_intent),
    ("POST", re.compile(_CONVERSATION + r"/messages/?"), user_message),
    ("POST", re.compile(r"/model/parse/?"), parse_request),
    ("POST", re.compile(r"/model/predict/?"), event_list),
]
# Training, testing, loading and unloading models through the API: off unless FAO_ENABLE_MODEL_ADMIN=1.
MODEL_ADMIN = re.compile(r"/model(?:/train|/test/stories|/test/intents)?/?")


def unknown_action(body: Dict[str, Any], action_names: Sequence[str]) -> Optional[str]:
    """For /execute: Rasa 3.6 answers 500 for an action the domain does not have."""
    name = body.get("name")
    return None if name in action_names else f"the domain has no action {str(name)[:40]!r}"


def check_for(method: str, path: str) -> Optional[Check]:
    """The body check of a guarded route, or None for routes whose body Rasa does not read."""
    return next((check for verb, pattern, check in ROUTES if verb == method and pattern.fullmatch(path)), None)


def decode(raw: bytes) -> Tuple[Any, Optional[str]]:
    """(body, None), or (None, problem) when `raw` is not UTF-8 JSON."""
    try:
        return json.loads(raw or b""), None
    except (ValueError, UnicodeDecodeError):
        return None, "the body is not valid JSON"
