"""The web app in-process on a free port, with fake Rasa and backend servers and a temp SQLite database.

The fakes answer like the real services (Rasa's /model/parse with a response-selector ranking, the
backend's operator lookup) and record what they were sent, so tests can check the operator's name
reaches the backend.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Optional

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from sanic import Sanic

from bot.web.app import create_app
from bot.web.db import WebDatabase
from bot.web.passwords import hash_password
from bot.web.settings import WebSettings
from bot.settings import free_port

Sanic.test_mode = True  # lets one process start several Sanic apps (Sanic's TouchUp otherwise fails)

RASA_TOKEN = "rasa-test-token"
BACKEND_TOKEN = "backend-test-token"
OPERATOR, PASSWORD = "operator.li", "long-enough-password"
EMBEDDING_SITE = "https://www.example.gov.cn"  # a page the widget is embedded in (FAO_CORS_ORIGINS)
DEMO_REFERENCE = "ABTC-2024-000107"
DEMO_APPLICATION = {
    "reference": DEMO_REFERENCE, "kind": "apec_card", "status": "approved",
    "status_meaning_zh": "已批准", "status_meaning_en": "Approved",
    "next_step_zh": "等待领卡通知", "next_step_en": "Wait for the pick-up notice",
    "detail_zh": "外交部已批准，正在制卡", "detail_en": "Approved by the MFA; the card is being produced",
    "updated_at": "2025-01-01T00:00:00+00:00", "history": [], "locked_until": None,
}


def parse_data(text: str) -> Dict[str, Any]:
    """What Rasa's /model/parse returns, trimmed to the fields the console reads."""
    if "费" in text or "fee" in text.lower():
        ranking = [("apec_fee", 0.81), ("apec_time", 0.1), ("invite_time_fee", 0.05), ("apec_what", 0.04)]
    else:
        ranking = [("apec_what", 0.7), ("apec_validity", 0.2), ("apec_economies", 0.1)]
    return {
        "text": text,
        "intent": {"name": "faq", "confidence": 0.95},
        "intent_ranking": [{"name": "faq", "confidence": 0.95}],
        "response_selector": {"all_retrieval_intents": ["faq"], "faq": {
            "response": {"intent_response_key": f"faq/{ranking[0][0]}"},
            "ranking": [{"id": i, "confidence": c, "intent_response_key": f"faq/{k}"}
                        for i, (k, c) in enumerate(ranking)],
        }},
    }


@dataclass
class Fakes:
    """What the fake services were asked."""

    lookups: List[Dict[str, Any]] = field(default_factory=list)
    parses: List[str] = field(default_factory=list)


async def _fake_services(port: int) -> tuple[web.AppRunner, Fakes]:
    fakes = Fakes()

    async def parse(request: web.Request) -> web.Response:
        if request.query.get("token") != RASA_TOKEN:
            return web.json_response({"status": "failure"}, status=401)
        text = (await request.json())["text"]
        fakes.parses.append(text)
        return web.json_response(parse_data(text))

    async def lookup(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {BACKEND_TOKEN}":
            return web.json_response({"error": "unauthorized"}, status=401)
        body = await request.json()
        fakes.lookups.append(body)
        if body["reference"].upper() == DEMO_REFERENCE:
            return web.json_response(DEMO_APPLICATION)
        if not body["reference"][:1].isalpha():
            return web.json_response({"error": "invalid_reference"}, status=400)
        return web.json_response({"error": "unknown_reference"}, status=404)

    app = web.Application()
    app.router.add_post("/model/parse", parse)
    app.router.add_post("/api/v1/operator/lookup", lookup)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, fakes


@pytest.fixture
def settings(tmp_path: Path) -> WebSettings:
    services = f"http://127.0.0.1:{free_port()}"
    return WebSettings(
        database_url=f"sqlite:///{tmp_path / 'web.db'}",
        tracker_db_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        port=free_port(),
        rasa_url=services,
        rasa_public_url="http://127.0.0.1:5005",
        rasa_token=RASA_TOKEN,
        backend_url=services,
        backend_token=BACKEND_TOKEN,
        allowed_origins=(EMBEDDING_SITE,),
    )


@pytest.fixture
def database(settings: WebSettings) -> WebDatabase:
    database = WebDatabase(settings.database_url)
    database.create_schema()
    database.add_operator(OPERATOR, hash_password(PASSWORD))
    yield database
    database.dispose()


class Browser:
    """An HTTP client with a cookie jar, like the operator's browser."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession, fakes: Optional[Fakes]) -> None:
        self.base_url = base_url
        self.session = session
        self.fakes = fakes

    def request(self, method: str, path: str, **kwargs: Any):
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, self.base_url + path, **kwargs)

    async def sign_in(self, name: str = OPERATOR, password: str = PASSWORD) -> int:
        async with self.request("POST", "/operator/login", data={"name": name, "password": password}) as response:
            return response.status


async def _serve(settings: WebSettings, with_fakes: bool) -> AsyncIterator[Browser]:
    runner, fakes = (None, None)
    if with_fakes:
        runner, fakes = await _fake_services(int(settings.rasa_url.rsplit(":", 1)[1]))
    app = create_app(settings)
    server = await app.create_server(host="127.0.0.1", port=settings.port, return_asyncio_server=True,
                                     access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            yield Browser(f"http://127.0.0.1:{settings.port}", session, fakes)
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
        if runner is not None:
            await runner.cleanup()


@pytest_asyncio.fixture
async def browser(settings: WebSettings, database: WebDatabase) -> AsyncIterator[Browser]:
    """The web app with working fake Rasa and backend."""
    async for client in _serve(settings, with_fakes=True):
        yield client


@pytest_asyncio.fixture
async def browser_without_services(settings: WebSettings, database: WebDatabase) -> AsyncIterator[Browser]:
    """The web app while Rasa and the backend are down."""
    async for client in _serve(settings, with_fakes=False):
        yield client
