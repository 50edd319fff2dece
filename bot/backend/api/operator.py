"""POST /api/v1/operator/lookup: an office operator looks up a reference without a code, under their name.

For the operator console: the same service token, the lookup audited as `operator:<name>`, and the
answer adds `locked_until` so staff can see that online lookups of a reference are paused.
"""
from __future__ import annotations

import asyncio

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.backend import db, lookups
from bot.backend.api.body import answer, json_body, reference_field, text_field
from bot.backend.api.errors import ApiError
from bot.backend.api.guards import service_endpoint

bp = Blueprint("operator", url_prefix="/api/v1/operator")


@bp.post("/lookup")
@service_endpoint
async def lookup(request: Request) -> HTTPResponse:
    body = json_body(request)
    reference = reference_field(body)
    operator = text_field(body, "operator") or ""
    ctx = request.app.ctx
    application = await asyncio.to_thread(
        lookups.operator_lookup, ctx.engine, ctx.budgets, ctx.lookup_policy, reference, operator, db.utcnow())
    if application is None:
        raise ApiError("unknown_reference")
    return answer(application)
