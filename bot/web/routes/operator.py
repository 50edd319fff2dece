"""The hotline operator console at /operator: sign-in, answer search and application lookup.

Search ranks answers with the assistant's own NLU (Rasa's response selector through /model/parse),
so an operator sees what the assistant would answer. Lookups go to the backend under the operator's
name, which writes its own audit entry; the console also keeps one of every search and lookup in the
web database (``web_audit``: operator, time, a masked subject, the outcome; never a search text),
served as JSON by ``GET /operator/api/audit`` for the office.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, List

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect

from bot.backend.reference import normalize_reference
from bot.web import messages
from bot.web.answers import ranked_faq_keys
from bot.web.auth import LoginThrottle, check_password, current_operator, operator_required, sign_in, sign_out
from bot.web.body import read_json
from bot.web.clients import ServiceUnavailable
from bot.web.pages import render

logger = logging.getLogger(__name__)

TOP_ANSWERS = 3
MAX_QUERY_CHARS = 500
MAX_REFERENCE_CHARS = 64
MAX_AUDIT_ENTRIES = 500
CONSOLE_PATH = "/operator"

bp = Blueprint("operator", url_prefix="/operator")


def _error(key: str, status: int) -> HTTPResponse:
    entry = messages.PAGES[key]
    return json({"error": key, "message_zh": entry["zh"], "message_en": entry["en"]}, status=status,
                ensure_ascii=False)


@bp.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    if await current_operator(request):
        return redirect(CONSOLE_PATH)
    return render(request, "login.html")


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    name = (request.form.get("name") or "").strip()[:64]
    password = request.form.get("password") or ""
    if not name or not password:
        return render(request, "login.html", status=401, error=True, name=name)
    throttle = LoginThrottle.of(request)
    if await throttle.blocked(request, name):
        logger.warning("sign-in refused: too many failed attempts for this account or address")
        refused = render(request, "login.html", status=429, throttled=True, name=name)
        refused.headers["Retry-After"] = str(request.app.ctx.settings.login_window_seconds)
        return refused
    if not await check_password(request, name, password):
        await throttle.failed(request, name)
        logger.info("refused sign-in for %r", name)
        return render(request, "login.html", status=401, error=True, name=name)
    await throttle.succeeded(request, name)
    response = redirect(CONSOLE_PATH, status=303)
    await sign_in(request, response, name)
    logger.info("operator %s signed in", name)
    return response


@bp.post("/logout")
async def logout(request: Request) -> HTTPResponse:
    response = redirect("/operator/login", status=303)
    await sign_out(request, response)
    return response


@bp.get("/")
@operator_required(api=False)
async def console(request: Request) -> HTTPResponse:
    return render(request, "console.html", operator=request.ctx.operator)


def _answers(request: Request, parse_data: Dict[str, Any]) -> List[Dict[str, Any]]:
    book = request.app.ctx.answers
    results = []
    for key, confidence in ranked_faq_keys(parse_data):
        answer = book.faq(key)
        if answer is None:
            continue
        results.append({
            "key": key,
            "title": answer.title,
            "confidence": round(confidence, 4),
            "zh": {"body": answer.text["zh"].body, "source": answer.text["zh"].source},
            "en": {"body": answer.text["en"].body, "source": answer.text["en"].source},
        })
        if len(results) == TOP_ANSWERS:
            break
    return results


def masked_reference(reference: str) -> str:
    """A reference as the audit shows it: kind and year, the serial masked but its last two digits."""
    canonical = normalize_reference(reference)
    if canonical is None:
        return "(not a reference)"
    prefix, year, serial = canonical.split("-")
    return f"{prefix}-{year}-****{serial[-2:]}"


async def _audit(request: Request, action: str, subject: str, outcome: str) -> None:
    await asyncio.to_thread(request.app.ctx.db.audit, request.ctx.operator, action, subject, outcome)


@bp.get("/api/audit")
@operator_required(api=True)
async def audit(request: Request) -> HTTPResponse:
    """The latest audited searches and lookups, newest first (``?limit=``, ``?operator=``)."""
    try:
        limit = max(1, min(int(request.args.get("limit", "100")), MAX_AUDIT_ENTRIES))
    except ValueError:
        return json({"error": "invalid_limit"}, status=400)
    operator = request.args.get("operator") or None
    entries = await asyncio.to_thread(request.app.ctx.db.audit_entries, limit, operator)
    return json({"entries": [{"at": entry.at.isoformat(), "operator": entry.operator, "action": entry.action,
                              "subject": entry.subject, "outcome": entry.outcome} for entry in entries]},
                ensure_ascii=False)


@bp.post("/api/search")
@operator_required(api=True)
async def search(request: Request) -> HTTPResponse:
    body = read_json(request) or {}
    query = body.get("q") if isinstance(body, dict) else None
    if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return json({"error": "invalid_query"}, status=400)
    started = time.perf_counter()
    try:
        parse_data = await request.app.ctx.rasa.parse(query.strip())
    except ServiceUnavailable as error:
        logger.warning("search failed: %s", error)
        return _error("search_unavailable", 503)
    intent = parse_data.get("intent") or {}
    results = _answers(request, parse_data)
    await _audit(request, "search", f"{len(query.strip())} characters",
                 f"top {results[0]['key']}" if results else "no answer")
    return json({
        "query": query.strip(),
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "results": results,
        "elapsed_ms": round((time.perf_counter() - started) * 1000),
    }, ensure_ascii=False)


@bp.post("/api/lookup")
@operator_required(api=True)
async def lookup(request: Request) -> HTTPResponse:
    body = read_json(request) or {}
    reference = body.get("reference") if isinstance(body, dict) else None
    if not isinstance(reference, str) or not reference.strip() or len(reference) > MAX_REFERENCE_CHARS:
        return _error("bad_reference", 400)
    operator = request.ctx.operator
    try:
        reply = await request.app.ctx.backend.lookup(reference.strip(), operator)
    except ServiceUnavailable as error:
        logger.warning("lookup failed: %s", error)
        return _error("lookup_unavailable", 503)
    await _audit(request, "lookup", masked_reference(reference.strip()), f"HTTP {reply.status}")
    if reply.status == 200:
        return json({"application": reply.body, "operator": operator}, ensure_ascii=False)
    if reply.status == 404:
        return _error("unknown_reference", 404)
    if reply.status == 400:
        return _error("bad_reference", 400)
    logger.error("backend refused the operator lookup: HTTP %s %s", reply.status, reply.body.get("error"))
    return _error("lookup_unavailable", 503)
