"""Character-level text normalization that never changes string length.

Rasa aligns entities and tokens by character offsets into the original message, so every
normalization here maps one character to exactly one character: full-width ASCII becomes
half-width (NFKC, only where NFKC yields one character) and traditional Han characters become
simplified (OpenCC's character table). Callers can then index the normalized text with the
offsets of the original.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Dict


def is_han(char: str) -> bool:
    """True for CJK unified ideographs (the characters jieba segments)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
    )


def is_latin_letter(char: str) -> bool:
    """True for letters of Latin script (ASCII and accented)."""
    return char.isalpha() and not is_han(char) and "LATIN" in unicodedata.name(char, "")


def is_noise(text: str) -> bool:
    """True when a token has no letter, digit or symbol: only punctuation, spaces or controls."""
    return all(unicodedata.category(char)[0] in "PZC" for char in text)


@functools.lru_cache(maxsize=1)
def _traditional_to_simplified() -> Dict[str, str]:
    """One-to-one traditional → simplified character table from OpenCC's data files."""
    import opencc

    table: Dict[str, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1:
            table[source] = target
    return table


def normalize_char(char: str) -> str:
    """Half-width, simplified form of one character (always exactly one character)."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    return _traditional_to_simplified().get(folded, folded)


def normalize_text(text: str) -> str:
    """Length-preserving normalization of a whole message (see module docstring)."""
    return "".join(normalize_char(char) for char in text)


_NOT_WORD = re.compile(r"[\W_]+")


def comparable(text: str) -> str:
    """Text with case, width, script variant, spaces and punctuation folded away.

    Two questions that differ only in these ways count as the same question, e.g. when a test checks
    that held-out or external questions are not copied from the training data.
    """
    return _NOT_WORD.sub("", normalize_text(text).lower())
