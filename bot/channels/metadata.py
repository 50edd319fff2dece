"""Message metadata as third-party widgets send it, brought to the keys the assistant reads.

Widgets differ: ours sends ``metadata.language``; botfront's rasa-webchat sends ``customData``
(``{"language": "en"}``) on the same socket.io event; RasaHQ's chat widget sends no metadata at all.
The channels therefore take ``language`` from ``customData`` when the metadata has none,
and add the browser's ``Accept-Language`` header as ``accept_language`` (raw, trimmed), which the
language decision uses only as its weakest default (bot/nlu/language.py).
"""
from __future__ import annotations

from typing import Any, Dict, Optional

LANGUAGE = "language"
ACCEPT_LANGUAGE = "accept_language"
CUSTOM_DATA = "customData"
MAX_ACCEPT_LANGUAGE_CHARS = 64
MAX_LANGUAGE_CHARS = 16


def widget_metadata(metadata: Any, custom_data: Any) -> Dict[str, Any]:
    """The metadata, with ``language`` taken from ``customData`` when the metadata has none.

    Only ``language`` is taken from ``customData``: the rest of it reaches no part of the assistant,
    and leaving it out keeps the metadata within the channels' size limits.
    """
    merged: Dict[str, Any] = dict(metadata) if isinstance(metadata, dict) else {}
    language = custom_data.get(LANGUAGE) if isinstance(custom_data, dict) else None
    if not isinstance(merged.get(LANGUAGE), str) and isinstance(language, str):
        merged[LANGUAGE] = language[:MAX_LANGUAGE_CHARS]
    return merged


def accept_language(header: Optional[str]) -> Optional[str]:
    """The Accept-Language header as sent, trimmed to MAX_ACCEPT_LANGUAGE_CHARS; None when absent or blank."""
    if not isinstance(header, str) or not header.strip():
        return None
    return header.strip()[:MAX_ACCEPT_LANGUAGE_CHARS]


def with_accept_language(metadata: Dict[str, Any], header: Optional[str]) -> Dict[str, Any]:
    """The metadata with ``accept_language`` set by the server from the browser's header (never the client's)."""
    cleaned = dict(metadata)
    cleaned.pop(ACCEPT_LANGUAGE, None)
    value = accept_language(header)
    if value:
        cleaned[ACCEPT_LANGUAGE] = value
    return cleaned
