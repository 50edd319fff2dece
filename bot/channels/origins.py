"""Which browser origins may use the chat channels: FAO_CORS_ORIGINS, the same list Rasa's --cors gets.

Rasa's --cors only decides the CORS headers; a browser would still deliver a simple POST or open a
websocket from any page. The channels therefore refuse, with 403, requests whose Origin header is
not listed. Requests without Origin (server-to-server, curl) are not browser requests and pass.

A refusal is logged once per origin and process (the origin only, never the message), and carries
CORS headers for that origin, so the refused page's widget can read why instead of seeing a bare
network error; the office then finds the origin to add in the log.
"""
from __future__ import annotations

import logging
import os
from typing import Dict, List, Optional, Set

from bot.settings import CORS_ORIGINS_VARIABLE as ORIGINS_VARIABLE, parse_origins

logger = logging.getLogger(__name__)

MAX_LOGGED_ORIGINS = 200
_logged: Set[str] = set()


def allowed_origins() -> List[str]:
    """The configured origins; "*" (or unset) allows every origin, as plain `rasa run` would."""
    return parse_origins(os.environ.get(ORIGINS_VARIABLE, "*"))


def origin_allowed(origin: Optional[str]) -> bool:
    if not origin:
        return True
    allowed = allowed_origins()
    return "*" in allowed or origin.rstrip("/") in allowed


def log_refused(origin: str, channel: str) -> None:
    """Say once per origin which page was refused, so the office knows what to add to FAO_CORS_ORIGINS."""
    shown = origin[:200]
    if shown in _logged or len(_logged) >= MAX_LOGGED_ORIGINS:
        return
    _logged.add(shown)
    logger.warning("%s: refused a browser request from origin %r, which is not in %s (allowed: %s)",
                   channel, shown, ORIGINS_VARIABLE, " ".join(allowed_origins()))


def refusal_headers(origin: str) -> Dict[str, str]:
    """CORS headers that let the refused page read the 403 and its explanation (and nothing else)."""
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Vary": "Origin",
    }
