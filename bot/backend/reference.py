"""Reference numbers as people type them, turned into the one form the database stores.

People write `abtc 2025 000318`, full-width `ＡＢＴＣ－２０２５－０００３１８` from a Chinese IME, or drop the
dashes. NFKC folds full-width forms to ASCII; separators (spaces, any dash, underscore) are ignored.
Pure functions: the actions import them to validate a slot before calling the backend.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

PREFIXES: dict[str, str] = {"ABTC": "apec_card", "INV": "invitation"}
EXAMPLES: tuple[str, ...] = ("ABTC-2025-000318", "INV-2025-000051")

_SEP = r"[\s\-_\u2010-\u2015\u2212]*"
_PREFIX = "|".join(PREFIXES)
_WHOLE = re.compile(rf"({_PREFIX}){_SEP}([0-9]{{4}}){_SEP}([0-9]{{6}})", re.IGNORECASE)
_INSIDE = re.compile(rf"(?<![A-Za-z0-9])({_PREFIX}){_SEP}([0-9]{{4}}){_SEP}([0-9]{{6}})(?![0-9])", re.IGNORECASE)


def _canonical(match: re.Match[str]) -> str:
    prefix, year, serial = match.groups()
    return f"{prefix.upper()}-{year}-{serial}"


def normalize_reference(text: str) -> Optional[str]:
    """The canonical `ABTC-YYYY-NNNNNN` / `INV-YYYY-NNNNNN` form of `text`, or None when it is not one."""
    if not isinstance(text, str):
        return None
    match = _WHOLE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return _canonical(match) if match else None


def extract_reference(text: str) -> Optional[str]:
    """The first reference number mentioned in a sentence ("status of ABTC-2025-000318?"), canonical, or None."""
    if not isinstance(text, str):
        return None
    match = _INSIDE.search(unicodedata.normalize("NFKC", text))
    return _canonical(match) if match else None


def find_references(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every reference in `text`, in order; offsets index the NFKC-folded text."""
    if not isinstance(text, str):
        return []
    return [(m.start(), m.end(), _canonical(m)) for m in _INSIDE.finditer(unicodedata.normalize("NFKC", text))]


def kind_of(reference: str) -> str:
    """The application kind a canonical reference belongs to ('apec_card' or 'invitation')."""
    return PREFIXES[reference.split("-", 1)[0]]
