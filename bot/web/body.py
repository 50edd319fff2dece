"""Reading a JSON request body without letting a malformed one become a 500."""
from __future__ import annotations

from typing import Any

from sanic import Request

from bot import safejson


def read_json(request: Request) -> Any:
    """The parsed body, or None when it is empty, not JSON, nested too deep or holds NaN/Infinity."""
    try:
        return safejson.loads(request.body)
    except safejson.UnsafeJSON:
        return None
