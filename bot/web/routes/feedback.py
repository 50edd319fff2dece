"""POST /api/feedback: a visitor's 👍/👎 on one answer of the widget, stored for the office's report.

The answer is named by the server (``AnswerBook.answer_id``: the domain response it came from), not
by the browser, so the report groups votes by answer even if the wording shown was the same.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, Optional

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, json

from bot.web.body import read_json
from bot.web.db import DOWN, UP

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_ANSWER_CHARS = 4000
RATINGS = {"up": UP, "down": DOWN}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}

bp = Blueprint("feedback", url_prefix="/api")


def parse_feedback(body: Any) -> Optional[Dict[str, Any]]:
    """The vote's fields if the body is well formed, else None."""
    if not isinstance(body, dict):
        return None
    conversation_id, message_id = body.get("conversation_id"), body.get("message_id")
    text, rating, language = body.get("text"), body.get("rating"), body.get("language")
    if not (isinstance(conversation_id, str) and ID_PATTERN.match(conversation_id)):
        return None
    if not (isinstance(message_id, str) and ID_PATTERN.match(message_id)):
        return None
    if not (isinstance(text, str) and text.strip() and len(text) <= MAX_ANSWER_CHARS):
        return None
    if rating not in RATINGS or language not in ("zh", "en"):
        return None
    return {"conversation_id": conversation_id, "message_id": message_id, "text": text.strip(),
            "rating": RATINGS[rating], "language": language}


@bp.options("/feedback")
async def feedback_preflight(_request: Request) -> HTTPResponse:
    return empty(headers=CORS)


@bp.post("/feedback")
async def save_feedback(request: Request) -> HTTPResponse:
    vote = parse_feedback(read_json(request))
    if vote is None:
        return json({"error": "invalid_feedback"}, status=400, headers=CORS)
    answer_id = request.app.ctx.answers.answer_id(vote["text"])
    await asyncio.to_thread(
        request.app.ctx.db.save_feedback,
        vote["conversation_id"], vote["message_id"], answer_id, vote["text"], vote["rating"], vote["language"],
    )
    return json({"answer_id": answer_id}, status=201, headers=CORS)
