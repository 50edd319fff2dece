"""Which browser origins may use the chat channels: FAO_CORS_ORIGINS, the same list Rasa's --cors gets.

Rasa's --cors only decides the CORS headers; a browser would still deliver a simple POST or open a
websocket from any page. The channels therefore refuse, with 403, requests whose Origin header is
not listed. Requests without Origin (server-to-server, curl) are not browser requests and pass.
"""
from __future__ import annotations

import os
from typing import List, Optional


def allowed_origins() -> List[str]:
    """The configured origins; "*" (or unset) allows every origin, as plain `rasa run` would."""
    raw = os.environ.get("FAO_CORS_ORIGINS", "*")
    return [origin.strip().rstrip("/") for origin in raw.replace(",", " ").split() if origin.strip()]


def origin_allowed(origin: Optional[str]) -> bool:
    if not origin:
        return True
    allowed = allowed_origins()
    return "*" in allowed or origin.rstrip("/") in allowed
