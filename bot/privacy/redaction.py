"""Masks verification codes and passport numbers in serialized tracker events before they are stored.

The status form asks for the last 4 characters of a passport (APEC cards) or a phone number
(invitations). The code is checked by the backend within the same turn, on the in-memory tracker the
action server receives, so nothing later needs it: every user message given while the form asks for
the code is stored as MASK, and so is any value of the `verification_code` slot. Passport-number
shapes (1-2 letters and 7-8 digits) are masked in every user message. Pure functions on event dicts
(``Event.as_dict()``), so they are easy to test and work for any store.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, Iterable, List, Optional

MASK = "****"
FORM = "status_form"
CODE_SLOT = "verification_code"
PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9]{7,8}(?![A-Za-z0-9])")

Event = Dict[str, Any]


def mask_passports(text: str) -> str:
    """`text` with passport-number shapes replaced by MASK (full-width digits count too)."""
    normalized = unicodedata.normalize("NFKC", text)
    if not PASSPORT.search(normalized):
        return text
    return PASSPORT.sub(MASK, normalized)


def _with_text(event: Event, text: str) -> Event:
    redacted = dict(event)
    redacted["text"] = text
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data = dict(parse_data)
        parse_data["text"] = text
        if text == MASK:
            parse_data["entities"] = []
        redacted["parse_data"] = parse_data
    return redacted


def _redact_user(event: Event, asking_for_code: bool) -> Event:
    text = event.get("text")
    if not isinstance(text, str):
        return event
    if asking_for_code:
        return _with_text(event, MASK)
    masked = mask_passports(text)
    return event if masked == text else _with_text(event, masked)


def redact_events(events: Iterable[Event]) -> List[Event]:
    """The events in order, with codes and passport numbers masked (inputs are not modified)."""
    active_loop: Optional[str] = None
    requested_slot: Optional[str] = None
    redacted: List[Event] = []
    for event in events:
        kind = event.get("event")
        if kind == "active_loop":
            active_loop = event.get("name")
        elif kind in ("restart", "session_started"):
            active_loop, requested_slot = None, None
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested_slot = event.get("value")
        if kind == "user":
            event = _redact_user(event, active_loop == FORM and requested_slot == CODE_SLOT)
        elif kind == "slot" and event.get("name") == CODE_SLOT and event.get("value") not in (None, MASK):
            event = {**event, "value": MASK}
        redacted.append(event)
    return redacted
