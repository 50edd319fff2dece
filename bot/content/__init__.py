"""The office's own contact details (config/office.yml) and the verified public channels.

An unfilled value never reaches a user: the handoff and every referral list only the values the
office has filled in, then the verified public channels and the office's web page.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import yaml

OFFICE_FILE = Path(__file__).resolve().parents[2] / "config" / "office.yml"
# Markers of a value the office has not filled in yet (older copies of office.yml used them).
PLACEHOLDER_MARKERS = ("待外办填写", "TO BE FILLED", "【", "TODO", "XXX")
_LABELS = {
    "phone": {"zh": "电话", "en": "phone"},
    "address": {"zh": "地址", "en": "address"},
    "hours": {"zh": "办公时间", "en": "office hours"},
    "website": {"zh": "网站", "en": "website"},
}


def is_filled(value: object) -> bool:
    """True for a real value: not empty and not a placeholder note."""
    text = str(value or "").strip()
    return bool(text) and not any(marker in text for marker in PLACEHOLDER_MARKERS)


def _read(path: Path) -> Dict:
    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file) or {}


def office_details(language: str, path: Path = OFFICE_FILE) -> Dict[str, str]:
    """The office's filled-in details in `language` (name always; phone, address, hours, website if filled).

    Read on every call so the office can edit the file without restarting the action server.
    """
    office = _read(path).get("office") or {}
    suffix = "en" if language == "en" else "zh"
    details = {"name": office.get(f"name_{suffix}") or ""}
    for field, key in (("phone", "phone"), ("address", f"address_{suffix}"), ("hours", f"hours_{suffix}"), ("website", "website")):
        if is_filled(office.get(key)):
            details[field] = str(office[key]).strip()
    return details


def contact_channels(language: str, path: Path = OFFICE_FILE) -> List[str]:
    """Lines naming how to reach a person: the office's filled-in details first, then the verified channels."""
    language = "en" if language == "en" else "zh"
    details = office_details(language, path)
    separator = "；" if language == "zh" else "; "
    office_parts = [f"{_LABELS[field][language]} {details[field]}" for field in ("phone", "address", "hours", "website") if field in details]
    lines = []
    if office_parts:
        colon = "：" if language == "zh" else ": "
        lines.append(details["name"] + colon + separator.join(office_parts))
    lines.extend(channel[language] for channel in _read(path).get("channels") or [] if is_filled(channel.get(language)))
    return lines


def contact_text(language: str, path: Path = OFFICE_FILE) -> str:
    """The channels as one text for the handoff answer."""
    separator = "；" if language != "en" else "; "
    end = "。" if language != "en" else "."
    return separator.join(contact_channels(language, path)) + end
