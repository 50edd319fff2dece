"""Builds the web app from settings (``create_app``) and runs it (``run``), like rasa-sdk's endpoint.

Resources (database engine, tracker reader, HTTP session and clients) are opened once per worker in
``before_server_start`` and kept on ``app.ctx``; nothing is opened at import time.
"""
from __future__ import annotations

import logging
import secrets

import aiohttp
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic

from bot.web.answers import AnswerBook
from bot.web.clients import BackendClient, RasaClient
from bot.web.csrf import refuse_cross_site
from bot.web.db import WebDatabase
from bot.web.conversations import ConversationReader
from bot.web.pages import TEMPLATES
from bot.web.routes import feedback, health, operator, report, site, widget
from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024


def create_app(settings: WebSettings) -> Sanic:
    """A new app with every blueprint mounted; its name is unique so tests can build several."""
    app = Sanic(f"fao_web_{secrets.token_hex(4)}")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.answers = AnswerBook.from_repository(settings.domain_file)
    app.ctx.templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())

    @app.before_server_start
    async def open_resources(app: Sanic, _loop: object) -> None:
        app.ctx.db = WebDatabase(settings.database_url)
        app.ctx.db.create_schema()
        app.ctx.conversations = ConversationReader(settings.tracker_db_url)
        app.ctx.http = aiohttp.ClientSession()
        app.ctx.rasa = RasaClient(app.ctx.http, settings.rasa_url, settings.rasa_token, settings.parse_timeout)
        app.ctx.backend = BackendClient(
            app.ctx.http, settings.backend_url, settings.backend_token, settings.backend_timeout
        )

    @app.after_server_stop
    async def close_resources(app: Sanic, _loop: object) -> None:
        await app.ctx.http.close()
        app.ctx.conversations.dispose()
        app.ctx.db.dispose()

    app.register_middleware(refuse_cross_site, "request")
    for module in (health, site, widget, feedback, operator, report):
        app.blueprint(module.bp)
    return app


def run(settings: WebSettings) -> None:
    """Serve on settings.host:settings.port in one process (what the launcher starts)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app(settings)
    logger.info("web app on http://%s:%s/ (operator console at /operator)", settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)
