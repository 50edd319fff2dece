"""JSON that every service can afford to read: bounded depth and size, no NaN or Infinity.

Python's decoder accepts `NaN`/`Infinity` (which then break SQLite's and PostgreSQL's JSON functions
when stored) and raises RecursionError, not ValueError, on a body nested about 1,000 deep; a body
nested 900 deep parses and breaks whatever serializes it next. Every service decodes request bodies
through `loads` and checks values it did not decode itself (socket.io payloads) with `problem`.
"""
from __future__ import annotations

import json
import math
from typing import Any, Optional

MAX_DEPTH = 32


class UnsafeJSON(ValueError):
    """A body or value refused: `code` names why (invalid_json, too_deep, not_json_safe)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _refuse_constant(name: str) -> Any:
    raise UnsafeJSON("not_json_safe", f"{name} is not a JSON value")


def problem(value: Any, max_depth: int = MAX_DEPTH) -> Optional[UnsafeJSON]:
    """Why `value` is not plain JSON of at most `max_depth` levels, or None (iterative: no recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > max_depth:
                return UnsafeJSON("too_deep", f"nested deeper than {max_depth} levels")
            if isinstance(item, dict):
                if any(not isinstance(key, str) for key in item):
                    return UnsafeJSON("not_json_safe", "object keys must be strings")
                pending.extend((child, depth + 1) for child in item.values())
            else:
                pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, float) and not math.isfinite(item):
            return UnsafeJSON("not_json_safe", "NaN and Infinity are not JSON values")
        elif item is not None and not isinstance(item, (str, int, float, bool)):
            return UnsafeJSON("not_json_safe", f"{type(item).__name__} is not a JSON value")
    return None


def loads(raw: Any, max_depth: int = MAX_DEPTH) -> Any:
    """The decoded body, or UnsafeJSON (a ValueError) when it is invalid, too deep or not JSON-safe."""
    try:
        value = json.loads(raw if raw else b"", parse_constant=_refuse_constant)
    except UnsafeJSON:
        raise
    except RecursionError:
        raise UnsafeJSON("too_deep", f"nested deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError, TypeError):
        raise UnsafeJSON("invalid_json", "the body is not valid JSON") from None
    refused = problem(value, max_depth)
    if refused is not None:
        raise refused
    return value
