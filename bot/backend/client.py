"""Async client of the backend API for the action server: one class owns the HTTP call, timeout and errors.

Actions call `await client.lookup(...)` and catch the typed errors below; everything that means "no
answer right now" (timeout, refused connection, 5xx, a misconfigured token) is BackendUnavailable.
The aiohttp session is created on first use inside the running event loop, never at import, and
replaced if the loop changes (tests, or a worker restart).
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import aiohttp

from bot.backend.settings import BackendSettings

LOOKUP_PATH = "/api/v1/applications/lookup"


class BackendError(Exception):
    """Base of everything lookup() raises."""


class NoMatch(BackendError):
    """The reference and the code do not match an application (403): a wrong code or an unknown reference.

    The backend answers both alike on purpose, so the assistant cannot tell them apart either.
    """


class TooManyAttempts(BackendError):
    """Too many failed attempts (429 too_many_attempts); `retry_after` seconds until the next is accepted."""

    def __init__(self, retry_after: Optional[int]) -> None:
        super().__init__(f"too many failed attempts, retry after {retry_after} s")
        self.retry_after = retry_after


class RateLimited(BackendError):
    """Too many requests from this client (429); `retry_after` seconds until the next one is accepted."""

    def __init__(self, retry_after: Optional[int]) -> None:
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


class InvalidRequest(BackendError):
    """The backend rejected the input as malformed (400); `error` is its error code, e.g. invalid_reference."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class BackendUnavailable(BackendError):
    """No usable answer: timeout, connection error, 5xx, unexpected reply, or a rejected service token."""


@dataclass(frozen=True)
class HistoryEntry:
    status: str
    status_meaning_zh: str
    status_meaning_en: str
    at: datetime


@dataclass(frozen=True)
class LookupResult:
    """A verified application: its status with meaning and next step in zh and en, and its history."""

    reference: str
    kind: str
    status: str
    status_meaning_zh: str
    status_meaning_en: str
    next_step_zh: str
    next_step_en: str
    detail_zh: str
    detail_en: str
    updated_at: datetime
    history: tuple[HistoryEntry, ...]

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> "LookupResult":
        fields = {name: body[name] for name in (
            "reference", "kind", "status", "status_meaning_zh", "status_meaning_en",
            "next_step_zh", "next_step_en", "detail_zh", "detail_en")}
        history = tuple(
            HistoryEntry(step["status"], step["status_meaning_zh"], step["status_meaning_en"],
                         datetime.fromisoformat(step["at"]))
            for step in body["history"])
        return cls(**fields, updated_at=datetime.fromisoformat(body["updated_at"]), history=history)


def _seconds_or_none(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class BackendClient:
    """Talks to one backend service; share one instance per process."""

    def __init__(self, base_url: str, token: Optional[str], timeout_seconds: float = 2.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    @classmethod
    def from_settings(cls, settings: Optional[BackendSettings] = None) -> "BackendClient":
        """A client for BACKEND_URL (or BACKEND_HOST:BACKEND_PORT) with BACKEND_SERVICE_TOKEN."""
        settings = settings or BackendSettings()
        return cls(settings.base_url, settings.service_token, settings.client_timeout_seconds)

    def _session_for_this_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            # One connection per lookup: lookups are rare and loopback-cheap, and no pooled connection
            # can be left dead by a backend restart or stranded on a finished event loop.
            connector = aiohttp.TCPConnector(force_close=True)
            self._session = aiohttp.ClientSession(connector=connector, headers=self._headers, timeout=self._timeout)
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def lookup(
        self, reference: str, code: str, conversation_id: Optional[str], client_key: Optional[str] = None
    ) -> LookupResult:
        """The application's status, or one of the typed errors of this module."""
        payload = {"reference": reference, "verification_code": code, "conversation_id": conversation_id}
        if client_key:
            payload["client_key"] = client_key
        try:
            async with self._session_for_this_loop().post(self.base_url + LOOKUP_PATH, json=payload) as response:
                status = response.status
                body = await response.json(content_type=None) if status < 500 else None
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise BackendUnavailable(f"backend did not answer: {type(error).__name__}") from error
        if not isinstance(body, dict):
            raise BackendUnavailable(f"backend answered {status} without a JSON object")
        return _result_or_raise(status, body)


def _result_or_raise(status: int, body: dict[str, Any]) -> LookupResult:
    if status == 200:
        try:
            return LookupResult.from_json(body)
        except (KeyError, TypeError, ValueError):
            raise BackendUnavailable("backend answered 200 with an unexpected body") from None
    if status == 403:
        raise NoMatch(str(body.get("error", "no_match")))
    if status == 429:
        retry_after = _seconds_or_none(body.get("retry_after"))
        if body.get("error") == "too_many_attempts":
            raise TooManyAttempts(retry_after)
        raise RateLimited(retry_after)
    if status == 400:
        raise InvalidRequest(str(body.get("error", "bad_request")))
    raise BackendUnavailable(f"backend answered {status} ({body.get('error')})")
