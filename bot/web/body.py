"""Reading a JSON request body without letting a malformed one become a 500."""
from __future__ import annotations

from typing import Any

from sanic import Request
from sanic.exceptions import InvalidUsage


def read_json(request: Request) -> Any:
    """The parsed body, or None when it is empty or not JSON."""
    try:
        return request.json
    except InvalidUsage:
        return None
