"""GET /: a demo page of the district office with the widget embedded exactly as any site would embed it.

``?lang=en`` shows the English page; the widget's first greeting follows the page language.
Also serves the stylesheets and scripts of the pages (/static/site, /static/console).
"""
from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.web.pages import STRICT_CSP, render, socket_origins

STATIC = Path(__file__).resolve().parents[1] / "static"

bp = Blueprint("site")
bp.static("/static/site", str(STATIC / "site"), name="site_files")
bp.static("/static/console", str(STATIC / "console"), name="console_files")


@bp.get("/")
async def demo_page(request: Request) -> HTTPResponse:
    language = "en" if request.args.get("lang") == "en" else "zh"
    settings = request.app.ctx.settings
    csp = STRICT_CSP.replace("connect-src 'self'",
                             f"connect-src 'self' {socket_origins(settings.rasa_public_url)}")
    return render(request, "demo.html", csp=csp, language=language, socket_url=settings.rasa_public_url)
