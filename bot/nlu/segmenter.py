"""jieba, set up once per process with the domain dictionary.

jieba keeps its dictionary in process-global state; this module is the only place that
touches it, so loading the same folder twice (training, then serving) costs nothing.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import List, Set, Tuple

import jieba

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: Set[str] = set()


def dictionary_files(folder: str) -> List[Path]:
    """The user dictionaries of `folder` that load_dictionary_folder reads."""
    return sorted(Path(folder).glob("*.txt"))


def load_dictionary_folder(folder: str) -> None:
    """Add every ``*.txt`` user dictionary in `folder` (jieba's format: word [freq] [tag])."""
    with _lock:
        for path in dictionary_files(folder):
            content = path.read_text(encoding="utf-8")
            if content in _loaded:
                continue
            for line in content.splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    parts = line.split()
                    frequency = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                    for word in {parts[0], parts[0].lower(), parts[0].upper()}:
                        jieba.add_word(word, freq=frequency)
            _loaded.add(content)
            logger.info("Loaded jieba user dictionary %s", path.name)


def warm_up() -> None:
    """Load jieba's main dictionary now rather than on the first user message."""
    jieba.initialize()


def segment(text: str) -> List[Tuple[str, int]]:
    """(word, start offset) pairs of jieba's segmentation of `text`."""
    return [(word, start) for word, start, _end in jieba.tokenize(text)]
