"""Rasa's socket.io channel with session persistence that works on python-socketio >= 5.10, and checked messages.

Stock Rasa 3.6 calls ``sio.enter_room`` without ``await`` (rasa#13027). Since python-socketio 5.10
that method is a coroutine, so the socket never joins its session's room and, with
``session_persistence: true``, no reply reaches the browser. This channel registers
``session_request`` again with the call awaited.

It also refuses connections from browser origins outside FAO_CORS_ORIGINS (Rasa turns python-socketio's
own origin check off, and browsers do not apply CORS to websockets) with the reason
``origin_not_allowed`` and a log line naming the origin, and puts a key of the client address in each
message's metadata for the per-address lookup limit (bot/privacy/clients.py), with the browser's
Accept-Language and the language of widgets that send it as ``customData`` (bot/channels/metadata.py).
A widget still speaking Engine.IO 3 (rasa-webchat <= 1.0.0) is told why it cannot connect, and the log
says which version to use.

Stock Rasa passes any ``user_uttered`` payload to the model: a list makes the handler raise, a
number or a 20,000-character text goes to NLU, a non-string session id breaks ``enter_room``.
Here each payload is checked like a REST body (bot/channels/validation.py); a rejected one gets a
``bot_uttered`` explanation in both languages and the acknowledgement ``{"error": code}``.
"""
from __future__ import annotations

import functools
import inspect
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio.exceptions import ConnectionRefusedError as SocketConnectionRefused

from bot.channels.metadata import CUSTOM_DATA, widget_metadata, with_accept_language
from bot.channels.origins import log_refused, origin_allowed
from bot.channels.safety import reply_when_silent
from bot.channels.validation import MAX_SOCKET_PACKET_BYTES, BadRequest, validate_sender, validate_socket_message
from bot.privacy.clients import with_client_key

logger = logging.getLogger(__name__)
# What python-socketio raises on a packet it cannot decode or dispatch (bad JSON, unknown type, ...).
PACKET_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


def _session_id(data: Any) -> str:
    """The session id the client asked for if it is a valid one, else a new one."""
    requested = data.get("session_id") if isinstance(data, dict) else None
    try:
        return validate_sender(requested)
    except BadRequest:
        return uuid.uuid4().hex


OLD_PROTOCOL = {
    "error": "engine_io_3_unsupported",
    "message": "This server speaks Socket.IO 3+/Engine.IO 4. rasa-webchat 1.0.0 and older use Engine.IO 3 and "
               "cannot connect: use rasa-webchat 1.0.1 or later (see bot/web/README.md).",
    "message_zh": "本服务使用 Engine.IO 4 协议。rasa-webchat 1.0.0 及更早版本使用 Engine.IO 3，无法连接，"
                  "请改用 rasa-webchat 1.0.1 或更新版本。",
}
_told_old_protocol = False


async def explain_old_protocol(socket_path: str, request: Request) -> Optional[HTTPResponse]:
    """Engine.IO 3 clients (rasa-webchat <= 1.0.0) get a reason, and the log says which widget to use."""
    global _told_old_protocol
    if request.args.get("EIO") != "3" or not request.path.rstrip("/").startswith(socket_path):
        return None
    if not _told_old_protocol:
        _told_old_protocol = True
        logger.warning("socket.io channel: a widget speaking Engine.IO 3 (rasa-webchat <= 1.0.0) tried to "
                       "connect from %r; it cannot: use rasa-webchat 1.0.1 or later", request.headers.get("origin"))
    return response.json(OLD_PROTOCOL, status=400)


async def _drop_connection(eio: Any, eio_sid: str) -> None:
    """Closes an Engine.IO session at once.

    python-socketio runs Engine.IO's message handler inside the request that carried the packet, and
    ``eio.disconnect`` waits until the client has polled every queued packet: on long-polling, whose
    client is busy waiting for the answer to that very request, it never returns and the request hangs
    (measured: 4 of the fuzz's malformed packets timed out after 30 s). Aborting skips that wait.
    """
    socket = eio.sockets.get(eio_sid)
    if socket is None:
        return  # already gone
    await socket.close(wait=False, abort=True, reason=eio.reason.SERVER_DISCONNECT)
    eio.sockets.pop(eio_sid, None)


class PersistentSocketIOInput(SocketIOInput):
    """socket.io input whose session_request puts the socket in its session's room."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(reply_when_silent(on_new_message))
        sio = self.sio
        # Engine.IO's default accepts 1 MB packets; a chat message and its metadata need far less.
        sio.eio.max_http_buffer_size = MAX_SOCKET_PACKET_BYTES

        async def session_request(sid: str, data: Any) -> None:
            session_id = _session_id(data)
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        socket_path = "/" + self.socketio_path.strip("/")

        @blueprint.listener("before_server_start")
        async def install(app: Sanic, _loop: Any) -> None:
            app.register_middleware(functools.partial(explain_old_protocol, socket_path), "request")

        self._guard_packets(sio)
        self._guard_connections(sio)
        self._check_messages(sio)  # outermost: only valid payloads reach the connection guard and Rasa
        return blueprint

    @staticmethod
    def _guard_packets(sio: Any) -> None:
        """A packet python-socketio cannot decode closes that connection with one log line, no traceback.

        Engine.IO calls the handler registered for "message" (python-socketio's ``_handle_eio_message``,
        captured when the server was built), and logs any exception it raises with a stack trace.
        """
        dispatch = sio._handle_eio_message

        async def handle_packet(eio_sid: str, data: Any) -> None:
            try:
                await dispatch(eio_sid, data)
            except PACKET_ERRORS as error:
                logger.warning("socket.io: malformed packet (%s); connection closed", type(error).__name__)
                await _drop_connection(sio.eio, eio_sid)

        sio.eio.on("message", handle_packet)

    def _guard_connections(self, sio: Any) -> None:
        """Wraps Rasa's connect and message handlers: origin check, client key in the metadata."""
        handlers = sio.handlers[self.namespace or "/"]
        rasa_connect, rasa_message = handlers["connect"], handlers[self.user_message_evt]
        rasa_disconnect = handlers["disconnect"]
        addresses: Dict[str, Optional[str]] = {}
        accept_languages: Dict[str, Optional[str]] = {}

        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin):
                log_refused(origin, "socket.io channel")
                raise SocketConnectionRefused("origin_not_allowed")
            request = environ.get("sanic.request")
            addresses[sid] = (request.remote_addr or request.ip) if request is not None else None
            accept_languages[sid] = environ.get("HTTP_ACCEPT_LANGUAGE")
            return await rasa_connect(sid, environ, auth)

        async def disconnect(sid: str, *_reason: Any) -> None:
            addresses.pop(sid, None)
            accept_languages.pop(sid, None)
            await rasa_disconnect(sid)

        async def user_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = None
            metadata = with_accept_language(metadata if isinstance(metadata, dict) else {},
                                            accept_languages.get(sid))
            data = {**data, self.metadata_key: with_client_key(metadata, addresses.get(sid))}
            await rasa_message(sid, data)

        sio.on("connect", connect, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        sio.on(self.user_message_evt, user_message, namespace=self.namespace)

    def _check_messages(self, sio: Any) -> None:
        """Wraps the registered message handler: only valid payloads reach it, cleaned."""
        handle = sio.handlers[self.namespace or "/"][self.user_message_evt]

        async def user_message(sid: str, data: Any = None) -> Optional[Dict[str, str]]:
            sender = data.get("session_id") if self.session_persistence and isinstance(data, dict) else sid
            try:
                session_id, text, metadata = validate_socket_message(data, sender, self.metadata_key)
            except BadRequest as error:
                reply = {"text": f"{error.message_zh}\n{error.message_en}", "error": error.code}
                await sio.emit(self.bot_message_evt, reply, room=sid, namespace=self.namespace)
                return {"error": error.code}
            metadata = widget_metadata(metadata, data.get(CUSTOM_DATA))
            await handle(sid, {"session_id": session_id, "message": text, self.metadata_key: metadata})
            return None

        sio.on(self.user_message_evt, user_message, namespace=self.namespace)
