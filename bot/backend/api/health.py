"""GET /api/v1/health: open to anyone (launchers and probes), says only whether the database answers."""
from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.backend import db
from bot.backend.api.body import answer
from bot.backend.api.errors import ApiError

log = logging.getLogger(__name__)
bp = Blueprint("health", url_prefix="/api/v1/health")


@bp.get("")
async def health(request: Request) -> HTTPResponse:
    try:
        await asyncio.to_thread(db.ping, request.app.ctx.engine)
    except Exception:
        log.warning("health check: database did not answer", exc_info=True)
        raise ApiError("database_unavailable") from None
    return answer({"status": "ok", "database": "ok"})
