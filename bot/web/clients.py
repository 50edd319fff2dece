"""HTTP calls the web app makes: Rasa's NLU parse and the backend's operator lookup.

Each client owns its URL, token, timeout and error handling; routes only call ``parse`` or ``lookup``.
The aiohttp session is opened once per worker (see ``bot.web.app``) and shared by both.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Dict

import aiohttp


class ServiceUnavailable(RuntimeError):
    """The other service did not answer in time or answered with a server error."""


@dataclass(frozen=True)
class LookupReply:
    """The backend's answer to an operator lookup: its HTTP status and JSON body."""

    status: int
    body: Dict[str, Any]


class RasaClient:
    """Parses text with the assistant's own NLU (``POST /model/parse``, needs the Rasa API token)."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str, timeout: float) -> None:
        self._session = session
        self._url = f"{base_url}/model/parse"
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def parse(self, text: str) -> Dict[str, Any]:
        try:
            async with self._session.post(
                self._url, params={"token": self._token}, json={"text": text}, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    raise ServiceUnavailable(f"Rasa parse answered HTTP {response.status}")
                return await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise ServiceUnavailable(f"Rasa parse failed: {error!r}") from error


class BackendClient:
    """Looks an application up for an operator; the backend writes the audit entry with their name."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str, timeout: float) -> None:
        self._session = session
        self._url = f"{base_url}/api/v1/operator/lookup"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def lookup(self, reference: str, operator: str) -> LookupReply:
        try:
            async with self._session.post(
                self._url,
                json={"reference": reference, "operator": operator},
                headers=self._headers,
                timeout=self._timeout,
            ) as response:
                if response.status >= 500:
                    raise ServiceUnavailable(f"backend answered HTTP {response.status}")
                try:
                    body = await response.json(content_type=None)
                except ValueError:
                    body = {}
                return LookupReply(response.status, body if isinstance(body, dict) else {"data": body})
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise ServiceUnavailable(f"backend lookup failed: {error!r}") from error
