"""Checks every service endpoint runs first: the service token, then the caller's request budget.

The token comes first (issue 13, finding 4): a caller without a valid token spends only the budget of
unauthenticated calls from its address, never the budget of the real callers at the same address, and
guessing tokens is still throttled. Budgets live in `app.ctx.budgets` (memory or Redis, budgets.py).
"""
from __future__ import annotations

import asyncio
import hmac
from functools import wraps
from typing import Any, Awaitable, Callable, Optional

from sanic import Request
from sanic.response import HTTPResponse

from bot.backend.api.errors import ApiError
from bot.backend.budgets import Budget, Budgets

Handler = Callable[..., Awaitable[HTTPResponse]]


def rate_limited(retry_after: float) -> ApiError:
    """The 429 answer with a Retry-After of at least one second."""
    seconds = max(1, round(retry_after))
    return ApiError("rate_limited", headers={"Retry-After": str(seconds)}, retry_after=seconds)


def _token_ok(request: Request) -> bool:
    expected: Optional[str] = request.app.ctx.settings.service_token
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def service_endpoint(handler: Handler) -> Handler:
    """Wraps a handler with the token check (401) and the per-address request budgets (429)."""

    @wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        budgets: Budgets = request.app.ctx.budgets
        authenticated = _token_ok(request)
        budget: Budget = request.app.ctx.request_budget if authenticated else request.app.ctx.unauthenticated_budget
        wait = await asyncio.to_thread(budgets.reserve, budget, request.ip or "unknown")
        if wait is not None:
            raise rate_limited(wait)
        if not authenticated:
            raise ApiError("unauthorized", headers={"WWW-Authenticate": "Bearer"})
        return await handler(request, *args, **kwargs)

    return guarded
