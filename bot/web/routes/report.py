"""GET /operator/report (and report.csv): per day and language what visitors got, unanswered questions, 👎.

For office staff, so it sits behind the operator sign-in. ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` picks
the Beijing days (default: the last 14), ``?unanswered_page=`` and ``?down_page=`` page the two lists,
``/operator/report.csv?table=daily|unanswered|down`` exports one table.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Dict, List

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, raw

from bot.web import messages
from bot.web.auth import operator_required
from bot.web.charts import Series, stacked_bars
from bot.web.conversations import BEIJING, TrackerUnavailable
from bot.web.pages import render
from bot.web.report import LANGUAGES, BadRange, Report, build_report, date_range, page_of, to_csv

logger = logging.getLogger(__name__)

bp = Blueprint("report", url_prefix="/operator")
CSV_TABLES = ("daily", "unanswered", "down")
OUTCOME_COLOURS = (("answered", "#1d6b2c"), ("clarified", "#0b4a8b"), ("out_of_scope", "#b35400"),
                   ("handed_off", "#6b3fa0"))
VOTE_COLOURS = (("up", "#1d6b2c"), ("down", "#a1120a"))


def _page_number(request: Request, name: str) -> int:
    try:
        return int(request.args.get(name, "1"))
    except ValueError:
        return 1


def charts(report: Report) -> Dict[str, Dict[str, object]]:
    """The outcome chart and the vote chart of each language."""
    labels = [day.strftime("%m-%d") for day in report.days]
    built: Dict[str, Dict[str, object]] = {}
    for language in LANGUAGES:
        rows = report.rows[language]
        name = messages.PAGES["language_" + language]["zh"] + " / " + messages.PAGES["language_" + language]["en"]
        outcomes: List[Series] = [
            Series(messages.both(messages.PAGES, key), colour, [getattr(row.stats, key) for row in rows])
            for key, colour in OUTCOME_COLOURS]
        votes = [Series(messages.both(messages.PAGES, key + "_votes"), colour,
                        [row.up if key == "up" else row.down for row in rows]) for key, colour in VOTE_COLOURS]
        built[language] = {
            "outcomes": stacked_bars(f"{messages.both(messages.PAGES, 'chart_outcomes')} · {name}", labels,
                                     outcomes, messages.both(messages.PAGES, "legend")),
            "votes": stacked_bars(f"{messages.both(messages.PAGES, 'chart_votes')} · {name}", labels, votes,
                                  messages.both(messages.PAGES, "legend")),
        }
    return built


async def _report(request: Request, filtered: bool = True) -> Report:
    """The report of the filter's dates (``filtered``) or of the default range."""
    ctx = request.app.ctx
    args = (request.args.get("from"), request.args.get("to")) if filtered else (None, None)
    first, last = date_range(*args)
    return await asyncio.to_thread(build_report, ctx.conversations, ctx.db, first, last)


def beijing_time(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@bp.get("/report")
@operator_required(api=False)
async def feedback_report(request: Request) -> HTTPResponse:
    range_error = None
    try:
        report = await _report(request)
    except BadRange as error:
        range_error = str(error)
        report = await _report(request, filtered=False)
    except TrackerUnavailable as error:
        logger.warning("report unavailable: %s", error)
        return render(request, "report.html", status=503, operator=request.ctx.operator, tracker_error=True)
    unanswered, unanswered_page, unanswered_pages = page_of(report.unanswered, _page_number(request, "unanswered_page"))
    down, down_page, down_pages = page_of(report.down_votes, _page_number(request, "down_page"))
    return render(request, "report.html", operator=request.ctx.operator, report=report, charts=charts(report),
                  range_error=range_error, unanswered=unanswered, unanswered_page=unanswered_page,
                  unanswered_pages=unanswered_pages, down=down, down_page=down_page, down_pages=down_pages,
                  titles=request.app.ctx.answers, beijing_time=beijing_time)


@bp.get("/report.csv")
@operator_required(api=False)
async def report_csv(request: Request) -> HTTPResponse:
    table = request.args.get("table", "daily")
    if table not in CSV_TABLES:
        table = "daily"
    try:
        report = await _report(request)
    except BadRange as error:
        return raw(str(error).encode(), status=400, content_type="text/plain; charset=utf-8")
    except TrackerUnavailable as error:
        logger.warning("report export unavailable: %s", error)
        return raw(messages.both(messages.PAGES, "tracker_unavailable").encode(), status=503,
                   content_type="text/plain; charset=utf-8")
    name = f"fao-report-{table}-{report.start.isoformat()}-{report.end.isoformat()}.csv"
    return raw(to_csv(report, table).encode("utf-8"), content_type="text/csv; charset=utf-8",
               headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
