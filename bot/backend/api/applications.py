"""POST /api/v1/applications/lookup: the action server's verified lookup (reference + code in the body).

Status codes: 200 found; 400 malformed; 401 token; 403 wrong code (with attempts_left); 404 unknown
reference; 423 locked (with locked_until, also answered for the attempt that triggers the lock); 429 too
many requests from the caller's address, or too many lookups for the conversation or the optional
`client_key` (a pseudonym of the chat user's address, see bot/privacy/clients.py).
"""
from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.backend import db, lookups
from bot.backend.api.body import answer, json_body, reference_field, text_field
from bot.backend.api.errors import ApiError
from bot.backend.api.guards import service_endpoint
from bot.backend.verification import normalize_code

log = logging.getLogger(__name__)
bp = Blueprint("applications", url_prefix="/api/v1/applications")


@bp.post("/lookup")
@service_endpoint
async def lookup(request: Request) -> HTTPResponse:
    body = json_body(request)
    reference = reference_field(body)
    code = normalize_code(body.get("verification_code"))
    if code is None:
        raise ApiError("invalid_code")
    conversation_id = text_field(body, "conversation_id", required=False)
    request.app.ctx.lookup_limits.check(conversation_id, text_field(body, "client_key", required=False))
    outcome = await asyncio.to_thread(
        lookups.verified_lookup, request.app.ctx.engine, request.app.ctx.lock_policy,
        reference, code, conversation_id, db.utcnow(),
    )
    log.info("lookup %s for conversation %s: %s", reference, conversation_id, type(outcome).__name__)
    match outcome:
        case lookups.Found(application):
            return answer(application)
        case lookups.WrongCode(attempts_left):
            raise ApiError("wrong_code", attempts_left=attempts_left)
        case lookups.Locked(until):
            raise ApiError("locked", locked_until=until.isoformat(timespec="seconds"))
        case _:
            raise ApiError("unknown_reference")
