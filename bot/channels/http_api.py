"""A guard in front of Rasa's own HTTP API, installed the only way `rasa run` allows: as an input channel.

Rasa builds its Sanic app inside `rasa run` and offers no hook for middleware, but it mounts the
blueprint of every channel listed in credentials.yml, and a blueprint's listener receives the app.
This "channel" has no chat route; at server start it adds one app-wide request middleware that

- answers 400 with a JSON reason when an authenticated request to the API carries a malformed or
  over-large body, and 404 to /execute of an action the domain lacks (stock Rasa 3.6 answers many
  of these with 500, see bot/channels/api_bodies.py);
- answers 403 to model management through the API (train, test, load, unload a model), which a
  deployed assistant does not need, unless FAO_ENABLE_MODEL_ADMIN=1.

The token comes first: a guarded request without the right ``?token=`` ($RASA_API_TOKEN, the one
bot/rasa_run.py gives Rasa) is answered 401 before its body is looked at, so nobody can probe action
names or body rules without the token. Other API routes are checked by Rasa itself.
"""
from __future__ import annotations

import hmac
import os
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request

from bot.channels import api_bodies


def model_admin_enabled() -> bool:
    return os.environ.get("FAO_ENABLE_MODEL_ADMIN", "").lower() in ("1", "true", "yes")


def _refuse(status: int, code: str, message: str) -> response.HTTPResponse:
    return response.json({"status": "failure", "reason": code, "message": message, "code": status}, status=status)


def token_valid(request: Request) -> bool:
    """The request's ``?token=`` is $RASA_API_TOKEN (constant-time); False when no token is configured."""
    expected = os.environ.get("RASA_API_TOKEN", "")
    presented = request.args.get("token") or ""
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


async def guard_api_request(request: Request) -> Optional[response.HTTPResponse]:
    """Sanic request middleware: None lets the request through, a response refuses it."""
    path = request.path.rstrip("/") or "/"
    model_admin = request.method in ("POST", "PUT", "DELETE") and api_bodies.MODEL_ADMIN.fullmatch(path)
    check = None if model_admin else api_bodies.check_for(request.method, path)
    if not (model_admin or check):
        return None
    if not token_valid(request):
        return _refuse(401, "NotAuthenticated", "User is not authenticated.")
    if model_admin:
        if not model_admin_enabled():
            return _refuse(403, "ModelAdminDisabled",
                           "Training, testing and replacing models through the API is turned off on this server.")
        return None
    if len(request.body or b"") > api_bodies.MAX_BODY_BYTES:
        return _refuse(413, "PayloadTooLarge", f"The body is larger than {api_bodies.MAX_BODY_BYTES} bytes.")
    body, problem = api_bodies.decode(request.body)
    if problem is None:
        problem = check(body)
    if problem:
        return _refuse(400, "BadRequest", f"Malformed request body: {problem}.")
    agent = getattr(request.app.ctx, "agent", None)
    if check is api_bodies.execute and agent is not None and agent.domain is not None:
        missing = api_bodies.unknown_action(body, agent.domain.action_names_or_texts)
        if missing:
            return _refuse(404, "ActionNotFound", f"Cannot execute: {missing}.")
    return None


class HttpApiGuard(InputChannel):
    """Listed in credentials.yml to install `guard_api_request`; it receives no messages itself."""

    @classmethod
    def name(cls) -> Text:
        return "http_api_guard"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("http_api_guard", __name__)

        @blueprint.listener("before_server_start")
        async def install(app: Sanic, _loop: Any) -> None:
            app.register_middleware(guard_api_request, "request")

        return blueprint
