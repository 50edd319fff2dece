"""Rasa's socket.io channel with session persistence that works on python-socketio >= 5.10.

Stock Rasa 3.6 calls ``sio.enter_room`` without ``await`` (rasa#13027). Since python-socketio 5.10
that method is a coroutine, so the socket never joins its session's room and, with
``session_persistence: true``, no reply reaches the browser. This channel registers
``session_request`` again with the call awaited; everything else is Rasa's own channel.

It also refuses connections from browser origins outside FAO_CORS_ORIGINS (Rasa turns python-socketio's
own origin check off, and browsers do not apply CORS to websockets), and puts a key of the client
address in each message's metadata for the per-address lookup limit (bot/privacy/clients.py).
"""
from __future__ import annotations

import inspect
import json
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.channels.origins import origin_allowed
from bot.channels.safety import reply_when_silent
from bot.privacy.clients import with_client_key


class PersistentSocketIOInput(SocketIOInput):
    """socket.io input whose session_request puts the socket in its session's room."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(reply_when_silent(on_new_message))
        sio = self.sio

        async def session_request(sid: str, data: Optional[Dict[str, Any]]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        self._guard_connections(sio)
        return blueprint

    def _guard_connections(self, sio: Any) -> None:
        """Wraps Rasa's connect and message handlers: origin check, client key in the metadata."""
        handlers = sio.handlers[self.namespace or "/"]
        rasa_connect, rasa_message = handlers["connect"], handlers[self.user_message_evt]
        rasa_disconnect = handlers["disconnect"]
        addresses: Dict[str, Optional[str]] = {}

        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not origin_allowed(environ.get("HTTP_ORIGIN")):
                return False
            request = environ.get("sanic.request")
            addresses[sid] = (request.remote_addr or request.ip) if request is not None else None
            return await rasa_connect(sid, environ, auth)

        async def disconnect(sid: str, *_reason: Any) -> None:
            addresses.pop(sid, None)
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
            data = {**data, self.metadata_key: with_client_key(metadata, addresses.get(sid))}
            await rasa_message(sid, data)

        sio.on("connect", connect, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        sio.on(self.user_message_evt, user_message, namespace=self.namespace)
