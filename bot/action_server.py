"""Hardening of rasa-sdk's action server: only Rasa may call it, malformed calls get 4xx, no error echoes the request.

Every call except /health must carry the shared secret ACTION_SERVER_TOKEN in the TOKEN_HEADER header
(Rasa sends it: `headers:` of `action_endpoint` in endpoints.yml); without it the answer is 401, so
nobody who reaches the port can run `validate_status_form` (a backend lookup with the service token).
With no secret configured the server refuses every call rather than run open.

rasa-sdk 3.6's catch-all handler answers every exception with HTTP 500 and a body holding the
exception text and the whole request body (which may hold a verification code): `[]` to /webhook,
a wrong method, an unknown path, a tracker whose fields have the wrong types. Installed through
rasa-sdk's plugin hook (rasa_sdk_plugins/), this adds a body check on /webhook and an error handler
that keeps Sanic's 4xx statuses and answers anything else with a bare 500.
"""
from __future__ import annotations

import hmac
import logging
import os
import zlib
from typing import Any, Optional

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request

from bot import safejson

logger = logging.getLogger(__name__)

MAX_ACTION_NAME_CHARS = 200
# A whole tracker is sent on every call (rasa#6334); sessions are bounded, so a few MiB is ample.
MAX_BODY_BYTES = 8 * 1024 * 1024
TOKEN_HEADER = "X-FAO-Action-Token"
TOKEN_ENV = "ACTION_SERVER_TOKEN"
OPEN_PATHS = ("/health",)
_TRACKER_FIELDS = {"slots": dict, "latest_message": dict, "events": list, "active_loop": dict}


class BodyTooLarge(ValueError):
    """The body, or what it inflates to, is larger than MAX_BODY_BYTES."""


def inflate(raw: bytes, limit: int = MAX_BODY_BYTES) -> bytes:
    """`raw` deflated, refusing to produce more than `limit` bytes (a 20 KB bomb must not become 20 MiB)."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, limit + 1)
    if len(data) > limit or inflater.unconsumed_tail:
        raise BodyTooLarge(f"the body inflates to more than {limit} bytes")
    return data + inflater.flush()


def _decode(request: Request) -> Any:
    raw = request.body or b""
    if request.headers.get("content-encoding") == "deflate":
        raw = inflate(raw)
    return safejson.loads(raw)


def token_valid(presented: Optional[str], expected: Optional[str] = None) -> bool:
    """Constant-time check of the caller's secret; False whenever no secret is configured."""
    secret = os.environ.get(TOKEN_ENV, "") if expected is None else expected
    return bool(secret) and hmac.compare_digest((presented or "").encode(), secret.encode())


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
    """Request middleware: the secret first (401), then the body of /webhook (400 / 413)."""
    path = request.path.rstrip("/") or "/"
    if path not in OPEN_PATHS and not token_valid(request.headers.get(TOKEN_HEADER)):
        return response.json({"error": "This action server only answers the assistant's own Rasa server."},
                             status=401)
    if request.method != "POST" or path != "/webhook":
        return None
    try:
        problem = action_call_problem(_decode(request))
    except BodyTooLarge as error:
        return response.json({"error": f"Action call refused: {error}."}, status=413)
    except safejson.UnsafeJSON as error:
        problem = str(error)
    except zlib.error:
        problem = "the body is not valid deflate data"
    return response.json({"error": f"Malformed action call: {problem}."}, status=400) if problem else None


async def answer_error(request: Request, exception: Exception) -> response.HTTPResponse:
    """Sanic's own errors keep their status and message; anything else is logged and answered 500."""
    if isinstance(exception, SanicException) and 400 <= exception.status_code < 500:
        return response.json({"error": str(exception)}, status=exception.status_code)
    logger.error("action server error on %s %s", request.method, request.path, exc_info=exception)
    return response.json({"error": "The action server could not run this action."}, status=500)


def harden(app: Sanic) -> None:
    """Adds the secret and body checks and replaces rasa-sdk's catch-all error handler."""
    if not os.environ.get(TOKEN_ENV):
        logger.error("%s is not set: every call to this action server will be refused", TOKEN_ENV)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.register_middleware(check_action_call, "request")
    app.error_handler.add(Exception, answer_error)
