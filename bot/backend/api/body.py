"""Reading and answering JSON: a request body must be an object whose fields have the expected types."""
from __future__ import annotations

import json
from functools import partial
from typing import Any, Optional

from bot import safejson

from sanic import Request
from sanic.response import HTTPResponse, json as json_response

from bot.backend.api.errors import ApiError
from bot.backend.reference import normalize_reference

MAX_TEXT = 200


def json_body(request: Request) -> dict[str, Any]:
    try:
        body = safejson.loads(request.body)
    except safejson.UnsafeJSON:  # invalid, nested too deep, NaN or Infinity
        raise ApiError("invalid_json") from None
    if not isinstance(body, dict):
        raise ApiError("invalid_json")
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = True) -> Optional[str]:
    """A string field of at most MAX_TEXT characters; None only when optional and absent or null."""
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise ApiError("invalid_field", field=name)
    return value.strip()


def reference_field(body: dict[str, Any]) -> str:
    reference = normalize_reference(text_field(body, "reference") or "")
    if reference is None:
        raise ApiError("invalid_reference")
    return reference


def answer(body: dict[str, Any], status: int = 200, headers: Optional[dict[str, str]] = None) -> HTTPResponse:
    """A JSON response with Chinese kept readable (not \\u-escaped)."""
    return json_response(body, status=status, headers=headers, dumps=partial(json.dumps, ensure_ascii=False))
