"""GET /health: the launcher's readiness check; 200 once the app serves and its database answers."""
from __future__ import annotations

import asyncio

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import SQLAlchemyError

bp = Blueprint("health")


@bp.get("/health")
async def health(request: Request) -> HTTPResponse:
    try:
        await asyncio.to_thread(request.app.ctx.db.ping)
    except SQLAlchemyError:
        return json({"status": "database unavailable"}, status=503)
    return json({"status": "ok"})
