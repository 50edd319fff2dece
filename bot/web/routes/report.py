"""GET /operator/report: the answers with the most 👎 and the questions that ended in fallback.

For office staff, so it sits behind the operator sign-in.
"""
from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.web.auth import operator_required
from bot.web.fallbacks import TrackerUnavailable
from bot.web.pages import render

logger = logging.getLogger(__name__)

bp = Blueprint("report", url_prefix="/operator")


@bp.get("/report")
@operator_required(api=False)
async def feedback_report(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    down_voted = await asyncio.to_thread(ctx.db.most_down_voted)
    tracker_error = False
    try:
        fallbacks = await asyncio.to_thread(ctx.fallbacks.questions)
    except TrackerUnavailable as error:
        logger.warning("fallback questions unavailable: %s", error)
        fallbacks, tracker_error = [], True
    rows = [(item, ctx.answers.title(item.answer_id, "zh"), ctx.answers.title(item.answer_id, "en"))
            for item in down_voted]
    return render(request, "report.html", operator=request.ctx.operator, down_voted=rows,
                  fallbacks=fallbacks, tracker_error=tracker_error)
