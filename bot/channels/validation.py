"""Checks a chat request body before it reaches Rasa (pure functions, no Sanic).

Stock Rasa 3.6 answers a JSON array with HTTP 500, files a body without `sender` under the
shared conversation "default", and accepts `{"sender": 5, "message": {"a": 1}}`. Each of
these is a client error; this module says which, in both languages.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Optional, Tuple

from bot import safejson

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
# Metadata is stored with every event of the turn (several times over): a widget needs a language and
# a few ids, not megabytes. Serialized size and nesting are capped, and values must be plain JSON.
MAX_METADATA_BYTES = 4096
MAX_METADATA_DEPTH = 8
# A whole chat request (REST body, socket.io packet): the message and metadata limits with room to spare.
MAX_CHAT_BODY_BYTES = 64 * 1024
# A socket.io packet. Engine.IO drops a larger one by closing the connection without a word, so the
# user would see nothing; python-socketio clients also escape every non-ASCII character as \uXXXX
# (6 bytes, 12 for an emoji). Up to this size a packet reaches validate_socket_message and its sender
# is told the message is too long; above it the connection is dropped.
MAX_SOCKET_PACKET_BYTES = 512 * 1024
_SENDER = re.compile(r"^[\w.:@\-]+$")
# Zero-width and bidirectional control characters carry no meaning for the assistant.
_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn"}


class BadRequest(ValueError):
    """A request the channel rejects, with a bilingual explanation and an HTTP status."""

    def __init__(self, code: str, message_en: str, message_zh: str, status: int = 400) -> None:
        super().__init__(message_en)
        self.code, self.message_en, self.message_zh, self.status = code, message_en, message_zh, status

    def as_json(self) -> dict:
        return {"error": self.code, "message": self.message_en, "message_zh": self.message_zh}


def clean_text(text: str) -> str:
    """Drop control and invisible format characters (keep newlines and tabs as spaces)."""
    return "".join(
        " " if char in "\n\t\r" else char
        for char in text
        if char in "\n\t\r" or unicodedata.category(char) not in _INVISIBLE
    ).strip()


def validate_sender(sender: Any) -> str:
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest(
            "missing_sender",
            "'sender' must be a non-empty string that identifies the conversation.",
            "缺少会话标识 sender（必须是非空字符串）。",
        )
    if len(sender) > MAX_SENDER_CHARS or not _SENDER.match(sender):
        raise BadRequest(
            "invalid_sender",
            f"'sender' may use letters, digits and . : @ _ - only, at most {MAX_SENDER_CHARS} characters.",
            f"sender 只能包含字母、数字和 . : @ _ -，最多 {MAX_SENDER_CHARS} 个字符。",
        )
    return sender


def validate_chat_body(body: Any, text_key: str = "message") -> Tuple[str, str, Optional[dict]]:
    """(sender, cleaned text, metadata) of a valid body, else BadRequest."""
    if not isinstance(body, dict):
        raise BadRequest("invalid_body", "The body must be a JSON object.", "请求体必须是 JSON 对象。")
    sender = validate_sender(body.get("sender"))
    text = body.get(text_key)
    if not isinstance(text, str):
        raise BadRequest(
            "invalid_message",
            f"'{text_key}' must be a string.",
            f"{text_key} 必须是字符串。",
        )
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadRequest(
            "message_too_long",
            f"The message is too long: please keep it under {MAX_MESSAGE_CHARS} characters.",
            f"消息太长，请控制在 {MAX_MESSAGE_CHARS} 个字符以内。",
            status=413,
        )
    cleaned = clean_text(text)
    if not cleaned:
        raise BadRequest("empty_message", "The message is empty.", "消息内容为空。")
    return sender, cleaned, validate_metadata(body.get("metadata"))


def validate_metadata(metadata: Any) -> Optional[dict]:
    """The metadata if it is a small object of plain JSON values (no NaN/Infinity), else BadRequest."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise BadRequest("invalid_metadata", "'metadata' must be a JSON object.", "metadata 必须是 JSON 对象。")
    unsafe = safejson.problem(metadata, MAX_METADATA_DEPTH)
    if unsafe is not None:
        raise BadRequest("invalid_metadata", f"'metadata' is refused: {unsafe}.", "metadata 只能包含普通 JSON 值，且层级不能过深。")
    if len(json.dumps(metadata, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
        raise BadRequest(
            "metadata_too_large",
            f"'metadata' is larger than {MAX_METADATA_BYTES} bytes.",
            f"metadata 不能超过 {MAX_METADATA_BYTES} 字节。",
            status=413,
        )
    return metadata


def decode_body(raw: bytes) -> Any:
    """A chat request body decoded, else BadRequest (too large, invalid, nested too deep, NaN or Infinity)."""
    if len(raw or b"") > MAX_CHAT_BODY_BYTES:
        raise BadRequest("body_too_large", f"The body is larger than {MAX_CHAT_BODY_BYTES} bytes.",
                         f"请求体不能超过 {MAX_CHAT_BODY_BYTES} 字节。", status=413)
    try:
        return safejson.loads(raw)
    except safejson.UnsafeJSON as error:
        if error.code == "invalid_json":
            raise BadRequest("invalid_json", "The body is not valid JSON.", "请求体不是有效的 JSON。") from None
        raise BadRequest("invalid_json", f"The body is refused: {error}.",
                         "请求体层级过深或含有非 JSON 数值。") from None


def validate_socket_message(data: Any, sender: Any, metadata_key: str = "metadata") -> Tuple[str, str, Optional[dict]]:
    """(session id, cleaned text, metadata) of a socket.io `user_uttered` payload, else BadRequest.

    `sender` is the session id (from the payload with session persistence, else the socket id).
    Rasa lets the metadata arrive as a JSON string; it must still decode to an object.
    """
    if not isinstance(data, dict):
        raise BadRequest("invalid_body", "The message must be an object.", "消息必须是对象。")
    metadata = data.get(metadata_key)
    if isinstance(metadata, str):
        if len(metadata) > MAX_METADATA_BYTES:
            raise BadRequest("metadata_too_large", f"'metadata' is larger than {MAX_METADATA_BYTES} bytes.",
                             f"metadata 不能超过 {MAX_METADATA_BYTES} 字节。", status=413)
        try:
            metadata = safejson.loads(metadata, MAX_METADATA_DEPTH)
        except ValueError:
            raise BadRequest("invalid_metadata", "'metadata' must be a JSON object.",
                             "metadata 必须是 JSON 对象。") from None
    return validate_chat_body({"sender": sender, "message": data.get("message"), "metadata": metadata})
