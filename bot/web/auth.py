"""Operator sign-in: the session cookie and the guard every console page and API call goes through.

The cookie carries a random token (its hash is in ``web_operator_sessions``); it is HttpOnly,
SameSite=Strict (so other sites cannot make a signed-in browser post to the console) and scoped to
/operator. Only the login page is reachable without it.

Sign-in is throttled (``LoginThrottle``): after too many failed attempts on one account, or from one
client address, within the window, every further attempt is refused with 429 (the right password
too) until older failures leave the window. Counts live in the web database, so every replica agrees.
"""
from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Awaitable, Callable, Optional

from sanic import Request
from sanic.response import HTTPResponse, json, redirect

from bot.web.passwords import DUMMY_HASH, verify_password

COOKIE = "fao_operator"
COOKIE_PATH = "/operator"
LOGIN_PATH = "/operator/login"

Handler = Callable[..., Awaitable[HTTPResponse]]
ACCOUNT, ADDRESS = "login_account", "login_address"


def client_address(request: Request) -> str:
    """The client's address (behind a proxy: from its X-Forwarded-For, with SANIC_PROXIES_COUNT set)."""
    return request.remote_addr or request.ip or "unknown"


@dataclass(frozen=True)
class LoginThrottle:
    """Failed sign-ins counted per account and per address in the web database (sliding window)."""

    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def of(cls, request: Request) -> "LoginThrottle":
        settings = request.app.ctx.settings
        return cls(settings.login_failures_per_account, settings.login_failures_per_address,
                   timedelta(seconds=settings.login_window_seconds))

    async def blocked(self, request: Request, name: str) -> bool:
        """True when this account or this address has used up its failed attempts."""
        database = request.app.ctx.db
        account = await asyncio.to_thread(database.count_attempts, ACCOUNT, name.lower(), self.window)
        address = await asyncio.to_thread(database.count_attempts, ADDRESS, client_address(request), self.window)
        return account >= self.per_account or address >= self.per_address

    async def failed(self, request: Request, name: str) -> None:
        database = request.app.ctx.db
        await asyncio.to_thread(database.record_attempt, ACCOUNT, name.lower(), self.window)
        await asyncio.to_thread(database.record_attempt, ADDRESS, client_address(request), self.window)

    async def succeeded(self, request: Request, name: str) -> None:
        await asyncio.to_thread(request.app.ctx.db.clear_attempts, ACCOUNT, name.lower())


async def check_password(request: Request, name: str, password: str) -> bool:
    """True if ``name`` exists and ``password`` is theirs; an unknown name costs the same time."""
    database = request.app.ctx.db
    stored = await asyncio.to_thread(database.password_hash, name)
    matches = await asyncio.to_thread(verify_password, password, stored or DUMMY_HASH)
    return matches and stored is not None


async def sign_in(request: Request, response: HTTPResponse, name: str) -> None:
    settings = request.app.ctx.settings
    lifetime = timedelta(hours=settings.session_hours)
    token = await asyncio.to_thread(request.app.ctx.db.open_session, name, lifetime)
    response.cookies[COOKIE] = token
    cookie = response.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = COOKIE_PATH
    cookie["max-age"] = int(lifetime.total_seconds())
    if settings.cookie_secure:
        cookie["secure"] = True


async def sign_out(request: Request, response: HTTPResponse) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        await asyncio.to_thread(request.app.ctx.db.close_session, token)
    response.cookies[COOKIE] = ""
    response.cookies[COOKIE]["path"] = COOKIE_PATH
    response.cookies[COOKIE]["max-age"] = 0


async def current_operator(request: Request) -> Optional[str]:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return await asyncio.to_thread(request.app.ctx.db.session_operator, token)


def operator_required(*, api: bool) -> Callable[[Handler], Handler]:
    """Guard a handler: pages redirect to the login page, API calls answer 401. Sets ``request.ctx.operator``."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            operator = await current_operator(request)
            if operator is None:
                if api:
                    return json({"error": "login_required"}, status=401)
                return redirect(LOGIN_PATH)
            request.ctx.operator = operator
            return await handler(request, *args, **kwargs)

        return guarded

    return decorate
