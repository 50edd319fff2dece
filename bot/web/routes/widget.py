"""The widget's files: its script and style, its strings, and socket.io-client from npm (never a CDN).

Any page may embed the widget, so these answer with ``Access-Control-Allow-Origin: *``.
"""
from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, file, json

from bot.web import messages

WEB_ROOT = Path(__file__).resolve().parents[1]
WIDGET_FILES = WEB_ROOT / "static" / "widget"
SOCKET_IO_CLIENT = WEB_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
CORS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"}
FILES = {
    "fao-widget.js": (WIDGET_FILES / "fao-widget.js", "text/javascript; charset=utf-8"),
    "fao-widget.css": (WIDGET_FILES / "fao-widget.css", "text/css; charset=utf-8"),
    "vendor/socket.io.min.js": (SOCKET_IO_CLIENT, "text/javascript; charset=utf-8"),
}

bp = Blueprint("widget", url_prefix="/widget")


@bp.get("/strings.json")
async def strings(_request: Request) -> HTTPResponse:
    return json(messages.WIDGET, headers=CORS, ensure_ascii=False)


@bp.get("/<name:path>")
async def widget_file(_request: Request, name: str) -> HTTPResponse:
    entry = FILES.get(name)
    if entry is None or not entry[0].exists():
        # socket.io-client is missing when scripts/setup_web.sh has not run (npm ci in bot/web).
        raise NotFound(f"no widget file {name}")
    path, mime_type = entry
    return await file(path, mime_type=mime_type, headers=CORS)
