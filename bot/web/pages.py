"""Server-rendered pages: one Jinja2 render helper that also sets the security headers.

Templates hold no inline script or style, so the Content-Security-Policy can forbid both.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse, html

from bot.web import messages

TEMPLATES = Path(__file__).parent / "templates"
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def socket_origins(rasa_public_url: str) -> str:
    """The http(s) and ws(s) origins of Rasa's socket.io channel, for connect-src."""
    parts = urlsplit(rasa_public_url)
    secure = parts.scheme == "https"
    return f"{parts.scheme}://{parts.netloc} {'wss' if secure else 'ws'}://{parts.netloc}"


def render(request: Request, template: str, status: int = 200, csp: Optional[str] = None,
           **context: Any) -> HTTPResponse:
    """Render ``template`` with the string catalogues ``W`` (widget), ``P`` (pages) and ``D`` (demo page)."""
    page = request.app.ctx.templates.get_template(template)
    body = page.render(W=messages.WIDGET, P=messages.PAGES, D=messages.DEMO, both=messages.both, t=messages.t,
                       **context)
    return html(body, status=status, headers={
        "Content-Security-Policy": csp or STRICT_CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    })
