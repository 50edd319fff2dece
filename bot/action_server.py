"""Hardening of rasa-sdk's action server: malformed calls get 4xx, no error answer echoes the request.

rasa-sdk 3.6's catch-all handler answers every exception with HTTP 500 and a body holding the
exception text and the whole request body (which may hold a verification code): `[]` to /webhook,
a wrong method, an unknown path, a tracker whose fields have the wrong types. Installed through
rasa-sdk's plugin hook (rasa_sdk_plugins/), this adds a body check on /webhook and an error handler
that keeps Sanic's 4xx statuses and answers anything else with a bare 500.
"""
from __future__ import annotations

import json
import logging
import zlib
from typing import Any, Optional

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request

logger = logging.getLogger(__name__)

MAX_ACTION_NAME_CHARS = 200
_TRACKER_FIELDS = {"slots": dict, "latest_message": dict, "events": list, "active_loop": dict}


def _decode(request: Request) -> Any:
    raw = request.body or b""
    if request.headers.get("content-encoding") == "deflate":
        raw = zlib.decompress(raw)
    return json.loads(raw)


def action_call_problem(call: Any) -> Optional[str]:
    """Why an action call cannot be run, or None (Rasa's calls always pass)."""
    if not isinstance(call, dict):
        return "the body must be a JSON object"
    name = call.get("next_action")
    if not isinstance(name, str) or not name or len(name) > MAX_ACTION_NAME_CHARS:
        return "'next_action' must be an action name"
    tracker = call.get("tracker")
    if not isinstance(tracker, dict) or not isinstance(tracker.get("sender_id"), str):
        return "'tracker' must be an object with a 'sender_id'"
    for field, kind in _TRACKER_FIELDS.items():
        if tracker.get(field) is not None and not isinstance(tracker[field], kind):
            return f"'tracker.{field}' must be a JSON {kind.__name__.replace('dict', 'object')}"
    if any(not isinstance(event, dict) for event in tracker.get("events") or []):
        return "every tracker event must be an object"
    if call.get("domain") is not None and not isinstance(call["domain"], dict):
        return "'domain' must be an object"
    if call.get("version") is not None and not isinstance(call["version"], str):
        return "'version' must be a string"
    return None


async def check_action_call(request: Request) -> Optional[response.HTTPResponse]:
    if request.method != "POST" or request.path.rstrip("/") != "/webhook":
        return None
    try:
        problem = action_call_problem(_decode(request))
    except (ValueError, UnicodeDecodeError, zlib.error):
        problem = "the body is not valid JSON"
    return response.json({"error": f"Malformed action call: {problem}."}, status=400) if problem else None


async def answer_error(request: Request, exception: Exception) -> response.HTTPResponse:
    """Sanic's own errors keep their status and message; anything else is logged and answered 500."""
    if isinstance(exception, SanicException) and 400 <= exception.status_code < 500:
        return response.json({"error": str(exception)}, status=exception.status_code)
    logger.error("action server error on %s %s", request.method, request.path, exc_info=exception)
    return response.json({"error": "The action server could not run this action."}, status=500)


def harden(app: Sanic) -> None:
    """Adds the body check and replaces rasa-sdk's catch-all error handler."""
    app.register_middleware(check_action_call, "request")
    app.error_handler.add(Exception, answer_error)
