"""The office's own contact values, only those it has really filled in (issue 12, item 8).

config/office.yml ships with placeholders (【待外办填写…】, [TO BE FILLED IN …]); no placeholder may
reach a user, so a value counts only once it has none of those markers. Read on every call, so an edit
of the file shows without a restart.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

from bot.content import OFFICE_FILE, office_contact

PLACEHOLDER_MARKERS = ("待外办填写", "TO BE FILLED IN", "【", "[TO BE")


def is_filled(value: object) -> bool:
    """True for a real value: a non-empty string without a placeholder marker."""
    return isinstance(value, str) and bool(value.strip()) and not any(m in value for m in PLACEHOLDER_MARKERS)


def filled_office_contact(language: str, path: Path = OFFICE_FILE) -> Dict[str, Optional[str]]:
    """The office's phone, address and hours in `language`; None for each one not filled in yet."""
    contact = office_contact(language, path)
    return {name: contact[f"office_{name}"] if is_filled(contact[f"office_{name}"]) else None
            for name in ("phone", "address", "hours")}
