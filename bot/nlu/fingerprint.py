"""Cache keys for our Rasa components.

Rasa reuses a component's cached training output when its config and inputs are unchanged; a
change to our own code or to a file our components read (the jieba dictionary, the knowledge
base's cue lexicons) is not part of that key, so a retrain could silently keep the old component.
Adding a digest of everything the components read to the fingerprint fixes that.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

NLU_FOLDER = Path(__file__).parent
KNOWLEDGE_FOLDER = NLU_FOLDER.parents[1] / "knowledge"


def files_read_by_components() -> Iterable[Path]:
    """Our component code, the jieba dictionary and the knowledge files (their cues are read)."""
    yield from sorted(NLU_FOLDER.glob("*.py"))
    yield from sorted((NLU_FOLDER / "dictionary").glob("*"))
    yield from sorted((NLU_FOLDER.parent / "knowledge").glob("*.py"))
    yield from sorted(KNOWLEDGE_FOLDER.glob("*.yml"))


def source_digest() -> str:
    """SHA-256 over the names and contents of every file our components read."""
    digest = hashlib.sha256()
    for path in files_read_by_components():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
