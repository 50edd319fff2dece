"""POST /api/feedback: a visitor's 👍/👎 on one answer of the widget, stored for the office's report.

The answer is named by the server (``AnswerBook.answer_id``: the domain response it came from), not
by the browser, so the report groups votes by answer even if the wording shown was the same.

Votes are only taken from the pages the widget is embedded in (an `Origin` outside FAO_CORS_ORIGINS and
this app's own origin gets 403), with a small body (413 above MAX_BODY_BYTES), and at most
`votes_per_address` per client address in the window (429). A text that is not one of the assistant's
own answers is stored with personal data (phone numbers, e-mail addresses ...) masked, so a forged
vote cannot put a phishing number into the staff report.
"""
from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any, Dict, Optional

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, json

from bot.privacy.redaction import mask_personal_data
from bot.web.auth import client_address
from bot.web.body import read_json
from bot.web.csrf import request_origin, own_origins
from bot.web.db import DOWN, UP

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_ANSWER_CHARS = 2000
MAX_BODY_BYTES = 8 * 1024
VOTES = "feedback_address"
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
async def feedback_preflight(request: Request) -> HTTPResponse:
    return empty(headers=_cors(request))


def _cors(request: Request) -> Dict[str, str]:
    """CORS headers naming the caller's origin when it is allowed (never "*")."""
    origin = request_origin(request)
    headers = {key: value for key, value in CORS.items() if key != "Access-Control-Allow-Origin"}
    if origin and origin in own_origins(request):
        headers["Access-Control-Allow-Origin"] = request.headers.get("origin", origin)
        headers["Vary"] = "Origin"
    return headers


@bp.post("/feedback")
async def save_feedback(request: Request) -> HTTPResponse:
    headers = _cors(request)
    origin = request_origin(request)
    if origin is not None and origin not in own_origins(request):
        return json({"error": "origin_not_allowed"}, status=403, headers=headers)
    if len(request.body or b"") > MAX_BODY_BYTES:
        return json({"error": "feedback_too_large"}, status=413, headers=headers)
    vote = parse_feedback(read_json(request))
    if vote is None:
        return json({"error": "invalid_feedback"}, status=400, headers=headers)
    settings, database = request.app.ctx.settings, request.app.ctx.db
    window = timedelta(seconds=settings.vote_window_seconds)
    if await asyncio.to_thread(database.record_attempt, VOTES, client_address(request), window) \
            > settings.votes_per_address:
        return json({"error": "too_many_votes"}, status=429, headers={**headers, "Retry-After": "600"})
    answers = request.app.ctx.answers
    answer_id = answers.answer_id(vote["text"])
    text = vote["text"] if answers.is_known(answer_id) else mask_personal_data(vote["text"])
    await asyncio.to_thread(
        database.save_feedback,
        vote["conversation_id"], vote["message_id"], answer_id, text, vote["rating"], vote["language"],
    )
    return json({"answer_id": answer_id}, status=201, headers=headers)
