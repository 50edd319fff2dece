"""A pseudonymous key for the client address of a chat message, so lookups can be limited per address.

The channels put the key (never the address) in the message metadata under CLIENT_KEY; the action
server forwards it to the backend, which counts lookups per key. The key is an HMAC of the address with
FAO_CLIENT_KEY_SECRET, shared by every Rasa server of a deployment so they agree on the key; without
it each process picks a random secret (fine for one server, as `make run` has).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from typing import Any, Dict, Optional

CLIENT_KEY = "fao_client"
_fallback_secret = secrets.token_hex(16)


def client_key(address: Optional[str]) -> Optional[str]:
    """"c-" + 16 hex digits for an address, or None when the address is unknown."""
    if not address:
        return None
    secret = os.environ.get("FAO_CLIENT_KEY_SECRET") or _fallback_secret
    digest = hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"c-{digest[:16]}"


def with_client_key(metadata: Any, address: Optional[str]) -> Dict[str, Any]:
    """The message metadata with CLIENT_KEY set by the server (a value sent by the client is replaced)."""
    cleaned: Dict[str, Any] = dict(metadata) if isinstance(metadata, dict) else {}
    cleaned.pop(CLIENT_KEY, None)
    key = client_key(address)
    if key:
        cleaned[CLIENT_KEY] = key
    return cleaned
