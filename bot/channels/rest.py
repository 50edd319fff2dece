"""The REST channel at /webhooks/rest/webhook, with requests checked before Rasa sees them."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request

from bot.channels.metadata import CUSTOM_DATA, widget_metadata, with_accept_language
from bot.channels.origins import log_refused, origin_allowed, refusal_headers
from bot.channels.safety import reply_when_silent
from bot.channels.validation import BadRequest, decode_body, validate_chat_body
from bot.privacy.clients import with_client_key

WEBHOOK_PREFIX = "/webhooks/rest/"


class ValidatedRestInput(RestInput):
    """Rasa's REST channel, but malformed requests get a 4xx with a clear JSON message.

    Browser requests from origins outside FAO_CORS_ORIGINS get 403, and the metadata carries a key of
    the client address (bot/privacy/clients.py) for the per-address lookup limit, the widget's language
    from ``metadata`` or ``customData`` and the browser's Accept-Language (bot/channels/metadata.py).
    """

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return req.ctx.chat[0]

    def _extract_message(self, req: Request) -> Optional[Text]:
        return req.ctx.chat[1]

    def get_metadata(self, request: Request) -> Optional[dict]:
        metadata = with_accept_language(request.ctx.chat[2], request.headers.get("accept-language"))
        return with_client_key(metadata, request.remote_addr or request.ip)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(reply_when_silent(on_new_message))

        @blueprint.middleware("request")
        async def check_body(request: Request) -> Optional[response.HTTPResponse]:
            origin = request.headers.get("origin")
            if not origin_allowed(origin):
                log_refused(origin, "REST channel")
                refused = BadRequest("origin_not_allowed", "This origin may not use the chat.",
                                     "此网页来源不允许使用对话接口。", status=403)
                return response.json(refused.as_json(), status=refused.status, headers=refusal_headers(origin))
            if request.method != "POST":
                return None
            try:
                body = decode_body(request.body)
                sender, text, metadata = validate_chat_body(body)
                request.ctx.chat = (sender, text, widget_metadata(metadata, body.get(CUSTOM_DATA)))
            except BadRequest as error:
                return response.json(error.as_json(), status=error.status)
            return None

        @blueprint.listener("before_server_start")
        async def install(app: Sanic, _loop: Any) -> None:
            app.register_middleware(readable_preflight_refusal, "response")

        return blueprint


async def readable_preflight_refusal(request: Request, reply: response.HTTPResponse) -> None:
    """Sanic-CORS answers every preflight itself, without headers for an unlisted origin; with them the
    browser goes on to send the request and the page can read the 403 that explains the refusal."""
    origin = request.headers.get("origin")
    if request.method == "OPTIONS" and request.path.startswith(WEBHOOK_PREFIX) and not origin_allowed(origin):
        reply.headers.update(refusal_headers(origin))
