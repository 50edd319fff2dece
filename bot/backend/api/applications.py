"""POST /api/v1/applications/lookup: the action server's verified lookup (reference + code in the body).

Status codes: 200 found; 400 malformed; 401 token; 403 `no_match` for a wrong code and an unknown
reference alike (same body, same work, so the answer is no oracle of valid references); 429
`too_many_attempts` when a failure budget is spent (lookups.py), `rate_limited` when the caller's address,
the conversation or the optional `client_key` (a pseudonym of the chat user's address, see
bot/privacy/clients.py) made too many lookups; both with `retry_after`.
"""
from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.backend import db, lookups
from bot.backend.api.body import answer, json_body, reference_field, text_field
from bot.backend.api.errors import ApiError
from bot.backend.api.guards import rate_limited, service_endpoint
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
    caller = lookups.Caller(text_field(body, "conversation_id", required=False),
                            text_field(body, "client_key", required=False))
    ctx = request.app.ctx
    outcome = await asyncio.to_thread(
        lookups.verified_lookup, ctx.engine, ctx.budgets, ctx.lookup_policy, reference, code, caller, db.utcnow())
    log.info("lookup %s for conversation %s: %s", reference, caller.conversation_id, type(outcome).__name__)
    match outcome:
        case lookups.Found(application):
            return answer(application)
        case lookups.TooManyFailures(retry_after):
            seconds = max(1, round(retry_after))
            raise ApiError("too_many_attempts", headers={"Retry-After": str(seconds)}, retry_after=seconds)
        case lookups.TooManyLookups(retry_after):
            raise rate_limited(retry_after)
        case _:
            raise ApiError("no_match")
