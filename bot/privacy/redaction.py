"""Masks personal data in serialized tracker events before they are stored, and in log lines.

What is masked, and why it is safe to lose:

- While the status form is open, whatever the user types is for the form: the reference, the code
  (the last 4 characters of a passport or phone number), and often more (a name, a whole phone
  number). The lookup happens within the same turn on the in-memory tracker the action server
  receives, so nothing later needs the text: it is stored as the references it contains plus MASK.
  The `verification_code` slot is always MASK; the `reference` slot keeps only a reference.
- A message that names a reference may carry the code with it ("ABTC-2025-000318 验证码4821"): any
  other 4-character code shape (letters and digits, with a digit) in it is masked.
- In every message: phone numbers, passport numbers of the common shapes (1–2 letters and 7–8 digits,
  or 7–9 digits), Chinese ID-card numbers (15 or 18 characters), e-mail addresses.

References (ABTC-/INV-YYYY-NNNNNN) are kept: the office needs them to follow a conversation up, and
they are worth nothing without the code. Pure functions on event dicts (``Event.as_dict()``).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.backend.reference import extract_reference

MASK = "****"
FORM = "status_form"
CODE_SLOT = "verification_code"
REFERENCE_SLOT = "reference"
REQUESTED_SLOT = "requested_slot"

_EDGE_BEFORE, _EDGE_AFTER = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_REFERENCE = re.compile(
    _EDGE_BEFORE + r"(?:ABTC|INV)[\s\-_\u2010-\u2015\u2212]*[0-9]{4}[\s\-_\u2010-\u2015\u2212]*[0-9]{6}(?![0-9])",
    re.IGNORECASE,
)
# Dates are not phone numbers: "2026-12-31", "2026.1.5", "2026年12月31日" stay as typed.
_DATE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}[\-./年][0-9]{1,2}[\-./月][0-9]{1,2}(?![0-9])")
_KEPT = re.compile(f"{_REFERENCE.pattern}|{_DATE.pattern}", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
ID_CARD = re.compile(_EDGE_BEFORE + r"(?:[0-9]{17}[0-9Xx]|[0-9]{15})" + _EDGE_AFTER)
PASSPORT = re.compile(_EDGE_BEFORE + r"[A-Za-z]{1,2}[0-9]{7,8}" + _EDGE_AFTER)
# Phone numbers, and all-digit passport numbers: 7 or more digits, optionally with a leading + and
# single spaces, dashes or dots between groups ("+86 138-1234-5678", "010 6512 3456", "123456789").
# Hotlines (110, 12345, 12308) are shorter and stay.
PHONE = re.compile(r"(?<![A-Za-z0-9+])\+?[0-9](?:[ \-.()]?[0-9]){6,}" + _EDGE_AFTER)
CODE = re.compile(_EDGE_BEFORE + r"(?=[A-Za-z]*[0-9])[A-Za-z0-9]{4}" + _EDGE_AFTER)
PERSONAL = (EMAIL, ID_CARD, PASSPORT, PHONE)

Event = Dict[str, Any]


def _masked(text: str, patterns: Tuple["re.Pattern[str]", ...]) -> str:
    """`text` with every match of `patterns` masked, references and dates left as they are."""
    kept: List[str] = []

    def keep(match: "re.Match[str]") -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    protected = _KEPT.sub(keep, text)
    for pattern in patterns:
        protected = pattern.sub(MASK, protected)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], protected)


def mask_personal_data(text: str) -> str:
    """`text` with phone, passport and ID-card numbers and e-mail addresses masked (full-width too)."""
    normalized = unicodedata.normalize("NFKC", text)
    masked = _masked(normalized, PERSONAL)
    return text if masked == normalized else masked


def mask_passports(text: str) -> str:
    """Kept for callers of the narrower rule: every personal-data shape is masked now."""
    return mask_personal_data(text)


def mask_message(text: str) -> str:
    """A message outside the form: personal data masked, and a code typed next to a reference too."""
    masked = mask_personal_data(text)
    if extract_reference(masked):
        masked = _masked(unicodedata.normalize("NFKC", masked), (CODE,))
    return masked


def mask_form_input(text: str) -> str:
    """What the user typed while the status form was open: only the references in it survive."""
    references = [match.group(0) for match in _REFERENCE.finditer(unicodedata.normalize("NFKC", text))]
    return " ".join([*references, MASK])


def _with_text(event: Event, text: str) -> Event:
    redacted = dict(event)
    redacted["text"] = text
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data = dict(parse_data)
        parse_data["text"] = text
        parse_data["entities"] = [
            entity for entity in parse_data.get("entities") or []
            if isinstance(entity, dict) and str(entity.get("value")) in text
        ]
        redacted["parse_data"] = parse_data
    return redacted


def _redact_user(event: Event, form_open: bool) -> Event:
    text = event.get("text")
    if not isinstance(text, str):
        return event
    masked = mask_form_input(text) if form_open else mask_message(text)
    return event if masked == text else _with_text(event, masked)


def _redact_slot(event: Event) -> Event:
    name, value = event.get("name"), event.get("value")
    if value is None or value == MASK:
        return event
    if name == CODE_SLOT:
        return {**event, "value": MASK}
    if name == REFERENCE_SLOT and isinstance(value, str):
        masked = value if extract_reference(value) == value else mask_form_input(value)
        return event if masked == value else {**event, "value": masked}
    if isinstance(value, str):
        masked = mask_personal_data(value)
        return event if masked == value else {**event, "value": masked}
    return event


class FormState:
    """Whether the status form is open, followed event by event (a conversation's earlier events set it)."""

    def __init__(self, active_loop: Optional[str] = None) -> None:
        self.active_loop = active_loop

    @property
    def form_open(self) -> bool:
        return self.active_loop == FORM

    def follow(self, event: Event) -> None:
        kind = event.get("event")
        if kind == "active_loop":
            self.active_loop = event.get("name")
        elif kind in ("restart", "session_started"):
            self.active_loop = None


def redact_events(events: Iterable[Event], state: Optional[FormState] = None) -> List[Event]:
    """The events in order, with personal data masked (inputs are not modified).

    `state` is the form state before the first event, when `events` continue a conversation.
    """
    state = state or FormState()
    redacted: List[Event] = []
    for event in events:
        state.follow(event)
        kind = event.get("event")
        if kind == "user":
            event = _redact_user(event, state.form_open)
        elif kind == "slot":
            event = _redact_slot(event)
        redacted.append(event)
    return redacted
