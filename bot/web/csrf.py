"""Cross-site request forgery: no other site can make a signed-in browser change anything in the console.

The session cookie is SameSite=Strict, but that is one browser feature; this is the server's own check,
run before every state-changing request (POST, PUT, PATCH, DELETE) under /operator:

- the `Origin` header (or, without it, the `Referer`) must be the web app's own origin or one of
  FAO_CORS_ORIGINS; requests with neither header are not from a browser page and pass;
- the console's JSON API (/operator/api/) only takes `Content-Type: application/json`, which another
  site cannot send without a CORS preflight this app never grants (a `text/plain` form post fails).

Refusals are 403 with a JSON reason.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse, json

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROTECTED_PREFIX = "/operator"
JSON_API_PREFIX = "/operator/api/"


def _origin_of(url: str) -> Optional[str]:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def own_origins(request: Request) -> set:
    """This app's origin as the browser sees it (Host, possibly from the proxy) and the configured ones."""
    scheme = request.headers.get("x-forwarded-proto") or request.scheme
    allowed = {f"{scheme}://{request.host}".lower()}
    allowed.update(origin.lower() for origin in request.app.ctx.settings.allowed_origins)
    return allowed


def request_origin(request: Request) -> Optional[str]:
    """The page origin a browser says the request comes from: Origin, else the Referer's origin."""
    origin = request.headers.get("origin")
    if origin:
        return origin.rstrip("/").lower()
    referer = request.headers.get("referer")
    return _origin_of(referer) if referer else None


def cross_site_problem(request: Request) -> Optional[str]:
    """Why a state-changing console request looks forged, or None."""
    if request.method not in STATE_CHANGING or not request.path.startswith(PROTECTED_PREFIX):
        return None
    origin = request_origin(request)
    if origin is not None and origin not in own_origins(request):
        return "cross_origin"
    if request.path.startswith(JSON_API_PREFIX):
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return "json_required"
    return None


async def refuse_cross_site(request: Request) -> Optional[HTTPResponse]:
    """Sanic request middleware of the web app."""
    problem = cross_site_problem(request)
    if problem is None:
        return None
    return json({"error": problem, "message_en": "This request must come from the console's own page.",
                 "message_zh": "此请求必须来自控制台本身的页面。"}, status=403, ensure_ascii=False)
