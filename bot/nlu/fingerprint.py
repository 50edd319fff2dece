"""Cache keys for our Rasa components.

Rasa reuses a component's cached training output when its config and inputs are unchanged; a
change to our own code is not part of that key, so a retrain after a code change could silently
keep the old component. Adding a digest of the component's source files to the fingerprint fixes that.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

NLU_FOLDER = Path(__file__).parent


def source_digest() -> str:
    """SHA-256 of every Python file of bot/nlu (the code our components run)."""
    digest = hashlib.sha256()
    for path in sorted(NLU_FOLDER.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
