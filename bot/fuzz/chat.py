"""Sends chat turns over the REST channel and the socket.io channel and says what came back."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List

import aiohttp
import socketio

from bot.fuzz.messages import Text

TURN_TIMEOUT_SECONDS = 60


@dataclass
class Outcome:
    """One turn's result: HTTP-like status (socket.io: 200 answered, 400 refused), replies, raw text."""

    status: int
    replies: List[Dict[str, Any]] = field(default_factory=list)
    raw: str = ""
    error: str = ""


def rest_body(sender: str, text: Text) -> bytes:
    """The request body; invalid UTF-8 goes in raw, lone surrogates stay \\u-escaped."""
    if isinstance(text, bytes):
        return b'{"sender": "' + sender.encode() + b'", "message": "' + text + b'"}'
    try:
        return json.dumps({"sender": sender, "message": text}, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps({"sender": sender, "message": text}).encode()


async def send_rest(http: aiohttp.ClientSession, url: str, sender: str, text: Text) -> Outcome:
    try:
        async with http.post(url, data=rest_body(sender, text), headers={"Content-Type": "application/json"},
                             timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_SECONDS)) as response:
            raw = await response.text(errors="replace")
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        return Outcome(0, error=type(error).__name__)
    replies: List[Dict[str, Any]] = []
    if response.status == 200:
        try:
            decoded = json.loads(raw)
            replies = decoded if isinstance(decoded, list) else []
        except ValueError:
            return Outcome(response.status, raw=raw, error="reply is not JSON")
    return Outcome(response.status, replies, raw)


class SocketSession:
    """One socket.io connection with a persistent session, as the widget opens it.

    It uses the long-polling transport: python-engineio 4.15's websocket transport needs
    aiohttp >= 3.10 (`aiohttp.ClientWSTimeout`) and Rasa 3.6 pins an older aiohttp. The server's
    event handlers are the same for both transports (the browser widget test covers websocket).
    A turn ends when the server acknowledges the `user_uttered` event; Rasa's `bot_uttered`
    events of that turn are sent before the acknowledgement on the same connection.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url, self.session_id = base_url, ""
        self.client = socketio.AsyncClient(reconnection=False)
        self._replies: List[Dict[str, Any]] = []
        self._confirmed = asyncio.Event()
        self.client.on("bot_uttered", self._on_reply)
        self.client.on("session_confirm", self._on_confirm)

    async def _on_reply(self, data: Any) -> None:
        self._replies.append(data if isinstance(data, dict) else {"text": str(data)})

    async def _on_confirm(self, session_id: Any) -> None:
        self.session_id = session_id if isinstance(session_id, str) else self.session_id
        self._confirmed.set()

    async def open(self) -> None:
        await self.client.connect(self.base_url, transports=["polling"], socketio_path="/socket.io",
                                  wait_timeout=TURN_TIMEOUT_SECONDS)

    async def start_session(self, session_id: str) -> None:
        """Asks for (another) session on this connection, as a widget does after a reload."""
        self._confirmed.clear()
        await self.client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(self._confirmed.wait(), TURN_TIMEOUT_SECONDS)

    async def send(self, text: Text) -> Outcome:
        self._replies = []
        try:
            ack = await self.client.call("user_uttered", {"message": text, "session_id": self.session_id},
                                         timeout=TURN_TIMEOUT_SECONDS)
        except (socketio.exceptions.SocketIOError, asyncio.TimeoutError) as error:
            return Outcome(0, error=type(error).__name__)
        replies = list(self._replies)
        raw = json.dumps(replies, ensure_ascii=False)
        refused = isinstance(ack, dict) and ack.get("error")
        return Outcome(400 if refused else 200, replies, raw)

    async def close(self) -> None:
        """Closes the engine.io connection without waiting for the pending long-poll to return."""
        await self.client.eio.disconnect(abort=True)
