"""A reply for every message: when Rasa answers nothing (an action server or store is down) the user is told.

Rasa 3.6 swallows a failed custom action ("the action's events are lost") and the REST channel turns an
exception into an empty 200 reply, logging the user's text; a tracker store that cannot be read ends
the turn with TrackerStoreUnavailable (bot/stores.py). This wrapper around the channels'
``on_new_message`` counts the bot messages sent, logs failures without the text (it may hold a
verification code), and sends an apology in the user's language when nothing was sent.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import UserMessage

from bot.nlu.language import detect_language
from bot.stores import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

UNAVAILABLE = {
    "zh": "抱歉，服务暂时出现问题，这条消息没有处理完。请稍后再发一次；紧急事务请拨打12345。",
    "en": "Sorry, part of the service is having a problem and your message was not fully handled. "
          "Please send it again in a moment; for urgent matters call 12345.",
}

Handler = Callable[[UserMessage], Awaitable[Any]]


def _language(message: UserMessage) -> str:
    metadata: Dict[str, Any] = message.metadata if isinstance(message.metadata, dict) else {}
    if metadata.get("language") in UNAVAILABLE:
        return metadata["language"]
    return detect_language(message.text or "") or "zh"


def reply_when_silent(on_new_message: Handler) -> Handler:
    """`on_new_message` that never ends a turn silently and never logs the message text."""

    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        sent = 0
        send_response = output.send_response

        async def counted(recipient_id: str, reply: Dict[str, Any]) -> None:
            nonlocal sent
            sent += 1
            await send_response(recipient_id, reply)

        output.send_response = counted  # type: ignore[method-assign]
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            logger.error("message of conversation %s timed out", message.sender_id)
        except TrackerStoreUnavailable:
            logger.error("message of conversation %s not handled: tracker store unavailable", message.sender_id)
        except Exception as error:
            logger.error("message of conversation %s failed: %s", message.sender_id, type(error).__name__)
        finally:
            output.send_response = send_response  # type: ignore[method-assign]
        if sent == 0:
            await output.send_text_message(message.sender_id, UNAVAILABLE[_language(message)])

    return handle
