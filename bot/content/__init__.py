"""Data the assistant shows that is not a domain response: topic titles and office contacts."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict

import yaml

CONTENT_FOLDER = Path(__file__).parent
OFFICE_FILE = Path(__file__).resolve().parents[2] / "config" / "office.yml"


@functools.lru_cache(maxsize=1)
def topic_titles() -> Dict[str, Dict[str, str]]:
    """FAQ key (e.g. ``apec_fee``) → {"zh": title, "en": title}, used for suggestion buttons."""
    with open(CONTENT_FOLDER / "topics.yml", encoding="utf-8") as file:
        return yaml.safe_load(file)["topics"]


def office_contact(language: str, path: Path = OFFICE_FILE) -> Dict[str, str]:
    """Office and hotline contact fields in `language`, read from the office's own config file.

    Read on every call so the office can edit the file without restarting the action server.
    """
    with open(path, encoding="utf-8") as file:
        config = yaml.safe_load(file)
    office, hotline = config["office"], config["hotline"]
    suffix = "en" if language == "en" else "zh"
    return {
        "office_name": office[f"name_{suffix}"],
        "office_phone": office["phone"],
        "office_address": office[f"address_{suffix}"],
        "office_hours": office[f"hours_{suffix}"],
        "hotline_name": hotline[f"name_{suffix}"],
        "hotline_number": hotline["number"],
    }
