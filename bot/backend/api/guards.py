"""Checks every service endpoint runs first: a per-address request budget, then the service token.

The budget is checked before the token so guessing tokens is throttled too. The limiter is in memory:
one backend process is the deployment unit, and a restart forgetting the counts is harmless.
"""
from __future__ import annotations

import hmac
import time
from collections import deque
from functools import wraps
from typing import Any, Awaitable, Callable, Optional

from sanic import Request
from sanic.response import HTTPResponse

from bot.backend.api.errors import ApiError

Handler = Callable[..., Awaitable[HTTPResponse]]


class SlidingWindowLimiter:
    """At most `limit` accepted requests per key in any `window` seconds; rejected ones are not counted."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> Optional[float]:
        """Records a request; returns None if allowed, else the seconds until one would be."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        if len(self._hits) > 10_000:
            self._forget_idle(now)
        return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]:
            del self._hits[key]


class LookupLimits:
    """Lookup budgets per conversation and per client key (a pseudonym of the chat user's address).

    The per-address budget above sees only the action server's address; these see the people behind it.
    """

    def __init__(self, per_conversation: SlidingWindowLimiter, per_client: SlidingWindowLimiter) -> None:
        self.per_conversation, self.per_client = per_conversation, per_client

    def check(self, conversation_id: Optional[str], client_key: Optional[str]) -> None:
        """Counts one lookup; raises ApiError("rate_limited") when either budget is spent."""
        waits = [
            limiter.hit(key)
            for limiter, key in ((self.per_conversation, conversation_id), (self.per_client, client_key))
            if key
        ]
        refused = [wait for wait in waits if wait is not None]
        if refused:
            seconds = max(1, round(max(refused)))
            raise ApiError("rate_limited", headers={"Retry-After": str(seconds)}, retry_after=seconds)


def _token_ok(request: Request) -> bool:
    expected: Optional[str] = request.app.ctx.settings.service_token
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def service_endpoint(handler: Handler) -> Handler:
    """Wraps a handler with the rate limit (429) and the service-token check (401)."""

    @wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        retry_after = request.app.ctx.limiter.hit(request.ip)
        if retry_after is not None:
            seconds = max(1, round(retry_after))
            raise ApiError("rate_limited", headers={"Retry-After": str(seconds)}, retry_after=seconds)
        if not _token_ok(request):
            raise ApiError("unauthorized", headers={"WWW-Authenticate": "Bearer"})
        return await handler(request, *args, **kwargs)

    return guarded
